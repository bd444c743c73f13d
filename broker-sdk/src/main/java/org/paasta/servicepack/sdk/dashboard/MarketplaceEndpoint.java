package org.paasta.servicepack.sdk.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code GET /marketplace}: the broker's services and plans as a person reads a marketplace, with
 * no credentials (a catalog is public information: every user of a platform sees it there).
 * {@code /marketplace.json} has the same in JSON. The catalog never changes while the broker runs,
 * so each language's page is rendered once.
 */
@Controller
public class MarketplaceEndpoint {
    private final CatalogListing listing;
    private final Pages pages;
    private final Map<Language, String> html = new EnumMap<>(Language.class);
    private final Map<Language, String> json = new EnumMap<>(Language.class);

    public MarketplaceEndpoint(CatalogListing listing, Pages pages, ObjectMapper mapper) {
        this.listing = listing;
        this.pages = pages;
        for (Language language : Language.values()) {
            try {
                json.put(language, mapper.writeValueAsString(Map.of("services", listing.services(language))));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("catalog listing not renderable as JSON", e);
            }
        }
    }

    @GetMapping("/marketplace")
    public ResponseEntity<String> page(@RequestParam(required = false) String lang,
                                       @RequestHeader(value = HttpHeaders.ACCEPT_LANGUAGE, required = false) String acceptLanguage) {
        Language language = Language.choose(lang, acceptLanguage);
        return pages.html(200, language, rendered(language), true);
    }

    @GetMapping("/marketplace.json")
    public ResponseEntity<String> listing(@RequestParam(required = false) String lang,
                                          @RequestHeader(value = HttpHeaders.ACCEPT_LANGUAGE, required = false) String acceptLanguage) {
        Language language = Language.choose(lang, acceptLanguage);
        return ResponseEntity.ok().headers(Pages.headers(language, true)).contentType(MediaType.APPLICATION_JSON)
                .body(json.get(language));
    }

    private synchronized String rendered(Language language) {
        return html.computeIfAbsent(language, l -> {
            Map<String, Object> variables = new LinkedHashMap<>();
            variables.put("title", pages.texts().get("page.marketplace.title", l));
            variables.put("services", listing.services(l));
            return pages.render("marketplace", l, variables);
        });
    }
}
