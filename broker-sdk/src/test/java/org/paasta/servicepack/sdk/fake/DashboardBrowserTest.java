package org.paasta.servicepack.sdk.fake;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.paasta.servicepack.testkit.OsbClient;
import org.paasta.servicepack.testkit.OsbResponse;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * The dashboard and marketplace pages in a real browser: Debian's headless Chromium, driven by
 * Selenium through Debian's chromedriver (both named by path, so Selenium Manager never looks for,
 * let alone downloads, anything). Screenshots go to {@code target/screenshots/} for CI to keep.
 *
 * <p>Without {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} this test fails, it does
 * not skip: {@code scripts/ensure-chromium.sh} installs them. To run everything else without a
 * browser: {@code -DexcludedGroups=browser}.
 */
@Tag("browser")
@SpringBootTest(classes = FakeBrokerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("fake")
@Timeout(120)
class DashboardBrowserTest {
    static final String SERVICE = "fake-service-id";
    static final String SMALL = "fake-small";
    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM_BINARY", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final Duration WAIT = Duration.ofSeconds(15);

    static ChromeDriver browser;
    static Path profile;

    @LocalServerPort
    int port;
    @Autowired
    FakeBackend backend;

    @BeforeAll
    static void startBrowser() throws IOException {
        assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
                .as("%s and %s are needed: run scripts/ensure-chromium.sh (or leave the browser tests out with "
                        + "-DexcludedGroups=browser)", CHROMIUM, CHROMEDRIVER).isTrue();
        Files.createDirectories(SCREENSHOTS);
        profile = Files.createTempDirectory("servicepack-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--user-data-dir=" + profile, "--window-size=1280,900", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withTimeout(Duration.ofSeconds(30))
                .build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
        browser.manage().timeouts().implicitlyWait(Duration.ZERO);
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    OsbClient client() {
        return new OsbClient(URI.create("http://127.0.0.1:" + port), "broker", "test-broker-password");
    }

    /** A provisioned instance with one bound app; returns its dashboard_url. */
    String instanceWithBinding(String instanceId) {
        OsbResponse created = client().provision(instanceId, OsbClient.provisionBody(SERVICE, SMALL, null), false);
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        assertThat(client().bind(instanceId, UUID.randomUUID().toString(), SERVICE, SMALL, null, false).status())
                .isEqualTo(201);
        return created.text("dashboard_url");
    }

    WebDriverWait waiting() {
        return new WebDriverWait(browser, WAIT);
    }

    WebElement storage() {
        return browser.findElements(By.cssSelector("#usage .measure")).get(0);
    }

    @Test
    void theDashboardShowsUsageThatChangesWhenDataIsWritten() throws IOException {
        String instanceId = UUID.randomUUID().toString();
        String link = instanceWithBinding(instanceId);
        backend.write(instanceId, 100);

        browser.get(link + "&lang=en");
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("usage")));
        assertThat(browser.getTitle()).isEqualTo("Service dashboard");
        assertThat(browser.findElement(By.id("plan-name")).getText()).isEqualTo("Small (small)");
        assertThat(storage().findElement(By.className("label")).getText()).isEqualTo("Storage");
        assertThat(storage().findElement(By.className("used")).getText()).isEqualTo("100");
        assertThat(storage().findElement(By.className("limit")).getText()).isEqualTo("1,024");
        assertThat(storage().findElement(By.className("percent")).getText()).isEqualTo("9%");
        assertThat(browser.findElements(By.cssSelector("#notices .notice"))).isEmpty();
        screenshot("dashboard-en");

        backend.write(instanceId, 800);
        browser.navigate().refresh();
        waiting().until(d -> storage().findElement(By.className("used")).getText().equals("900"));
        assertThat(storage().getDomAttribute("class")).contains("near");
        assertThat(storage().findElement(By.className("level")).getText()).isEqualTo("Near the limit");

        backend.write(instanceId, 300);
        // As a person would: the page's own refresh link.
        browser.findElement(By.linkText("Refresh")).click();
        waiting().until(d -> storage().findElement(By.className("used")).getText().equals("1,200"));
        assertThat(storage().getDomAttribute("class")).contains("over");
        WebElement notice = browser.findElement(By.cssSelector("#notices .notice.critical"));
        assertThat(notice.isDisplayed()).isTrue();
        assertThat(notice.getText()).startsWith("Writes revoked");
        screenshot("dashboard-over-limit-en");

        browser.findElement(By.linkText("한국어")).click();
        waiting().until(ExpectedConditions.textToBe(By.cssSelector("#usage h2"), "사용량"));
        assertThat(browser.findElement(By.cssSelector("#notices .notice")).getText()).startsWith("쓰기 권한 회수됨");
        assertThat(storage().findElement(By.className("level")).getText()).isEqualTo("한도 도달 또는 초과");
        screenshot("dashboard-over-limit-ko");
    }

    @Test
    void anotherInstancesLinkIsRefused() throws IOException {
        String mine = UUID.randomUUID().toString();
        String other = UUID.randomUUID().toString();
        String myLink = instanceWithBinding(mine);
        instanceWithBinding(other);
        backend.write(other, 512);
        String token = myLink.substring(myLink.indexOf("?token="));

        browser.get("http://127.0.0.1:" + port + "/dashboard/instances/" + other + token + "&lang=en");
        WebElement refusal = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("refusal")));
        assertThat(refusal.getDomAttribute("data-reason")).isEqualTo("other");
        assertThat(refusal.findElement(By.tagName("h1")).getText()).isEqualTo("This link is for another instance");
        assertThat(browser.findElements(By.id("usage"))).as("nothing of the other instance").isEmpty();
        assertThat(browser.getPageSource()).doesNotContain(other + "</", "512");
        screenshot("refused-other-instance-en");

        // The browser asks for English (--lang=en-US): its Accept-Language decides.
        browser.get("http://127.0.0.1:" + port + "/dashboard/instances/" + mine + "?token=forged.token");
        assertThat(waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#refusal h1")))
                .getText()).isEqualTo("This link is not valid");
        browser.findElement(By.linkText("한국어")).click();
        assertThat(waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#refusal h1")))
                .getText()).isEqualTo("유효하지 않은 링크");
        screenshot("refused-invalid-ko");
    }

    @Test
    void theMarketplaceListsEveryPlan() throws IOException {
        browser.get("http://127.0.0.1:" + port + "/marketplace?lang=en");
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("article.plan")));
        List<String> plans = browser.findElements(By.cssSelector("article.plan")).stream()
                .map(plan -> plan.getDomAttribute("data-plan")).toList();
        assertThat(plans).containsExactly("small", "large", "frozen");
        WebElement large = browser.findElement(By.cssSelector("article.plan[data-plan=large]"));
        assertThat(large.findElement(By.className("badge")).getText()).isEqualTo("Paid");
        assertThat(large.findElement(By.className("cost")).getText()).isEqualTo("USD 12.50 + KRW 15,000.00 / month");
        assertThat(large.findElement(By.className("limit-value")).getText()).isEqualTo("10");
        screenshot("marketplace-en");
        browser.findElement(By.linkText("한국어")).click();
        waiting().until(ExpectedConditions.textToBe(By.tagName("h1"), "서비스 마켓플레이스"));
        screenshot("marketplace-ko");
    }

    @Test
    void onAPhoneNothingScrollsSideways() throws IOException {
        String instanceId = UUID.randomUUID().toString();
        String link = instanceWithBinding(instanceId);
        backend.write(instanceId, 2000);
        emulatePhone(844);
        try {
            for (String page : List.of(link, link + "&lang=en", "http://127.0.0.1:" + port + "/marketplace",
                    "http://127.0.0.1:" + port + "/dashboard/instances/" + instanceId + "?token=x.y")) {
                browser.get(page);
                waiting().until(ExpectedConditions.visibilityOfElementLocated(By.tagName("main")));
                Map<String, Object> widths = widths();
                assertThat(((Number) widths.get("viewport")).intValue()).as("laid out for the phone: %s", page)
                        .isEqualTo(390);
                assertThat(((Number) widths.get("scroll")).intValue()).as("no horizontal scroll: %s", page)
                        .isLessThanOrEqualTo(((Number) widths.get("viewport")).intValue());
            }
            browser.get(link + "&lang=ko");
            waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("usage")));
            fullPageScreenshot("phone-dashboard-ko");
            browser.get("http://127.0.0.1:" + port + "/marketplace?lang=en");
            waiting().until(ExpectedConditions.visibilityOfElementLocated(By.tagName("main")));
            fullPageScreenshot("phone-marketplace-en");
        } finally {
            browser.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        }
    }

    /** A 390 px wide phone (an iPhone 12-15): mobile layout, so the page's viewport meta applies. */
    void emulatePhone(int height) {
        browser.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", 390, "height", height, "deviceScaleFactor", 2, "mobile", true));
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> widths() {
        return (Map<String, Object>) ((JavascriptExecutor) browser).executeScript(
                "return {viewport: document.documentElement.clientWidth, "
                        + "scroll: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight};");
    }

    void fullPageScreenshot(String name) throws IOException {
        int height = ((Number) widths().get("height")).intValue();
        emulatePhone(Math.min(Math.max(height, 844), 6000));
        screenshot(name);
        emulatePhone(844);
    }

    static void screenshot(String name) throws IOException {
        Files.write(SCREENSHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    }
}
