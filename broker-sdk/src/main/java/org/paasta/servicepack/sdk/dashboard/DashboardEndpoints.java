package org.paasta.servicepack.sdk.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code GET /dashboard/instances/{instance_id}?token=...}: the dashboard of one instance, as HTML
 * (or JSON for {@code Accept: application/json} and at {@code .../usage.json}). The signed token is
 * the only key: it is checked before anything of the instance is read, and only a valid token for
 * this very instance shows it. A page that cannot be shown says why in words, with 401 (no valid
 * link: missing, forged, damaged or expired), 403 (a valid link of another instance) or 404 (the
 * instance was deleted), never with a stack trace.
 */
@Controller
public class DashboardEndpoints {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardEndpoints.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final DashboardTokens tokens;
    private final InstanceDashboard<?> dashboard;
    private final Pages pages;
    private final ObjectMapper json;
    private final Clock clock;

    public DashboardEndpoints(DashboardTokens tokens, InstanceDashboard<?> dashboard, Pages pages, ObjectMapper json,
                              Clock clock) {
        this.tokens = tokens;
        this.dashboard = dashboard;
        this.pages = pages;
        this.json = json;
        this.clock = clock;
    }

    @GetMapping(SignedDashboardLinks.PATH + "{instanceId}")
    public ResponseEntity<String> page(@PathVariable String instanceId,
                                       @RequestParam(required = false) String token,
                                       @RequestParam(required = false) String lang,
                                       @RequestHeader(value = HttpHeaders.ACCEPT_LANGUAGE, required = false) String acceptLanguage,
                                       @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept) {
        Language language = Language.choose(lang, acceptLanguage);
        return show(instanceId, token, language, wantsJson(accept));
    }

    @GetMapping(SignedDashboardLinks.PATH + "{instanceId}/usage.json")
    public ResponseEntity<String> usage(@PathVariable String instanceId,
                                        @RequestParam(required = false) String token,
                                        @RequestParam(required = false) String lang,
                                        @RequestHeader(value = HttpHeaders.ACCEPT_LANGUAGE, required = false) String acceptLanguage) {
        return show(instanceId, token, Language.choose(lang, acceptLanguage), true);
    }

    private ResponseEntity<String> show(String instanceId, String token, Language language, boolean asJson) {
        DashboardTokens.Verdict verdict = tokens.verify(token, instanceId, clock.instant());
        if (verdict instanceof DashboardTokens.Verdict.Expired expired) {
            return refuse(401, "expired", language, asJson, token, TIME.format(expired.expiredAt()));
        }
        if (verdict instanceof DashboardTokens.Verdict.OtherInstance) {
            return refuse(403, "other", language, asJson, token);
        }
        if (!(verdict instanceof DashboardTokens.Verdict.Valid valid)) {
            return refuse(401, "invalid", language, asJson, token);
        }
        Optional<InstanceDashboard.View> view = dashboard.view(instanceId, valid.instanceCreatedAt(), valid.expiresAt(),
                language);
        if (view.isEmpty()) {
            return refuse(404, "gone", language, asJson, token);
        }
        if (asJson) {
            return json(200, language, view.get());
        }
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("title", pages.texts().get("page.dashboard.title", language));
        variables.put("view", view.get());
        variables.put("links", links(token, language));
        return pages.html(200, language, pages.render("dashboard", language, variables), false);
    }

    private ResponseEntity<String> refuse(int status, String reason, Language language, boolean asJson, String token,
                                          Object... args) {
        LOG.debug("dashboard refused: {} ({})", reason, status);
        Texts texts = pages.texts();
        String title = texts.get("refused." + reason + ".title", language);
        String text = texts.get("refused." + reason + ".text", language, args);
        String hint = texts.get("refused." + reason + ".hint", language);
        ResponseEntity<String> response;
        if (asJson) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", reason);
            body.put("description", text);
            body.put("hint", hint);
            response = json(status, language, body);
        } else {
            Map<String, Object> variables = new LinkedHashMap<>();
            variables.put("title", title);
            variables.put("text", text);
            variables.put("hint", hint);
            variables.put("reason", reason);
            variables.put("links", links(token, language));
            response = pages.html(status, language, pages.render("refused", language, variables), false);
        }
        if (status == 401) {
            // RFC 9110: a 401 names how to authenticate; here, with a link's token.
            return ResponseEntity.status(status).headers(response.getHeaders())
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"servicepack-dashboard\"")
                    .body(response.getBody());
        }
        return response;
    }

    /** Links back to this page, in each language and to refresh: relative, so they keep the path they came by. */
    private static Map<String, String> links(String token, Language language) {
        String query = token == null ? "" : "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8) + "&";
        return Map.of("ko", "?" + query + "lang=ko", "en", "?" + query + "lang=en",
                "refresh", "?" + query + "lang=" + language.tag());
    }

    private ResponseEntity<String> json(int status, Language language, Object body) {
        try {
            return ResponseEntity.status(status).headers(Pages.headers(language, false))
                    .contentType(MediaType.APPLICATION_JSON).body(json.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("dashboard not renderable as JSON", e);
        }
    }

    private static boolean wantsJson(String accept) {
        if (accept == null) {
            return false;
        }
        try {
            for (MediaType type : MediaType.parseMediaTypes(accept)) {
                if (type.isCompatibleWith(MediaType.TEXT_HTML) && !type.isWildcardType()) {
                    return false;
                }
                if (type.isCompatibleWith(MediaType.APPLICATION_JSON) && !type.isWildcardType()) {
                    return true;
                }
            }
        } catch (IllegalArgumentException malformed) {
            return false;
        }
        return false;
    }

    /** Whatever went wrong (the state store down, a bug): a page that says so, the details in the log only. */
    @ExceptionHandler(Exception.class)
    public ResponseEntity<String> failed(Exception failure) {
        int status = failure instanceof DataAccessException ? 503 : 500;
        LOG.error("dashboard failed ({})", status, failure);
        Language language = Language.KO;
        Texts texts = pages.texts();
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("title", texts.get("refused.error.title", language) + " / "
                + texts.get("refused.error.title", Language.EN));
        variables.put("text", texts.get("refused.error.text", language) + " " + texts.get("refused.error.text", Language.EN));
        variables.put("hint", texts.get("refused.error.hint", language) + " " + texts.get("refused.error.hint", Language.EN));
        variables.put("reason", "error");
        variables.put("links", Map.of("ko", "?lang=ko", "en", "?lang=en", "refresh", ""));
        return pages.html(status, language, pages.render("refused", language, variables), false);
    }
}
