package org.paasta.servicepack.sdk.dashboard;

import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/**
 * Renders the SDK's pages from {@code servicepack/templates/*.html} with a Thymeleaf engine of its
 * own, so a broker's own templates, view resolvers and {@code spring.thymeleaf.*} settings neither
 * see nor change them. Every page goes out with headers that keep its token link to itself.
 */
public final class Pages {
    /**
     * No scripts, no frames, nothing loaded from elsewhere (the page's style is inline), and
     * no Referer: a dashboard's address carries its token.
     */
    private static final String POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
            + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final SpringTemplateEngine engine = new SpringTemplateEngine();
    private final Texts texts;

    public Pages(Texts texts) {
        this.texts = texts;
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver(Pages.class.getClassLoader());
        resolver.setPrefix("servicepack/templates/");
        resolver.setSuffix(".html");
        resolver.setTemplateMode(TemplateMode.HTML);
        resolver.setCharacterEncoding("UTF-8");
        resolver.setCacheable(true);
        engine.setTemplateResolver(resolver);
        engine.setTemplateEngineMessageSource(texts.source());
        engine.setEnableSpringELCompiler(true);
    }

    public Texts texts() {
        return texts;
    }

    public String render(String template, Language language, Map<String, Object> variables) {
        Context context = new Context(language.locale(), variables);
        context.setVariable("lang", language.tag());
        return engine.process(template, context);
    }

    /** An HTML page with the given status and the headers every SDK page carries. */
    public ResponseEntity<String> html(int status, Language language, String body, boolean cacheable) {
        return ResponseEntity.status(status).headers(headers(language, cacheable))
                .contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8)).body(body);
    }

    static HttpHeaders headers(Language language, boolean cacheable) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.CACHE_CONTROL, cacheable ? "public, max-age=60" : "no-store");
        headers.set("Content-Security-Policy", POLICY);
        headers.set("Referrer-Policy", "no-referrer");
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("X-Frame-Options", "DENY");
        headers.set("X-Robots-Tag", "noindex, nofollow");
        headers.set(HttpHeaders.CONTENT_LANGUAGE, language.tag());
        headers.set(HttpHeaders.VARY, "Accept, Accept-Language");
        return headers;
    }
}
