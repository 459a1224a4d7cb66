package dev.sealpost.web.admin;

import dev.sealpost.core.login.LoginGate;
import dev.sealpost.testkit.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web admin in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver},
 * driven by Selenium): log in, add a domain and see its DNS records, add an account, hold and
 * release a queued message, trace it. Screenshots go to {@code target/browser/}. Skipped when
 * chromium is missing, unless {@code SEALPOST_REQUIRE_INTEROP=1}.
 */
class AdminUiBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    Path dir;

    @Test
    void adminWalksThroughTheUi() throws Exception {
        Peers.require(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "chromium with chromedriver (apt-get install chromium chromium-driver)");
        // Selenium Manager must not try the internet: the browser and driver are given explicitly
        System.setProperty("SE_OFFLINE", "true");
        System.setProperty("SE_AVOID_STATS", "true");
        Path shots = Path.of("target", "browser");
        Files.createDirectories(shots);
        try (AdminFixture f = new AdminFixture(dir, LoginGate.unthrottled())) {
            long queued = f.message("root@a.test", List.of("friend@remote.test"), List.of("user@a.test"), "<browser-test@a.test>");
            ChromeOptions o = new ChromeOptions();
            o.setBinary(CHROMIUM.toFile());
            o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")),
                    "--window-size=1200,900");
            o.setAcceptInsecureCerts(true); // the server's certificate is from the test's own CA
            ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                    .usingAnyFreePort().withLogFile(dir.resolve("chromedriver.log").toFile()).build();
            WebDriver web = new ChromeDriver(service, o);
            try {
                WebDriverWait wait = new WebDriverWait(web, Duration.ofSeconds(20));
                web.get(f.origin() + "/admin/");
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-address")));

                // a wrong password: an error, no session
                web.findElement(By.id("login-address")).sendKeys("root@a.test");
                web.findElement(By.id("login-password")).sendKeys("not the password");
                web.findElement(By.id("login-submit")).click();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("login-error"), "invalid credentials"));
                assertThat(f.sessions.size()).isZero();

                web.findElement(By.id("login-password")).sendKeys(AdminFixture.PASSWORD);
                web.findElement(By.id("login-submit")).click();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("who"), "root@a.test (admin)"));
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("dash-queue"), "1"));
                assertThat(web.findElement(By.id("dash-domains")).getText()).isEqualTo("1");
                assertThat(web.findElement(By.id("dash-accounts")).getText()).isEqualTo("3");
                // the session cookie is HttpOnly: script cannot read it
                Object cookies = ((org.openqa.selenium.JavascriptExecutor) web).executeScript("return document.cookie");
                assertThat(cookies.toString()).doesNotContain(AdminUi.COOKIE);
                assertThat(web.manage().getCookieNamed(AdminUi.COOKIE).isHttpOnly()).isTrue();
                assertThat(web.manage().getCookieNamed(AdminUi.COOKIE).isSecure()).isTrue();
                assertThat(web.manage().getCookieNamed(AdminUi.COOKIE).getSameSite()).isEqualTo("Strict");
                shot(web, shots.resolve("admin-dashboard.png"));

                // add a domain and see its DNS records
                web.findElement(By.cssSelector("nav button[data-view=domains]")).click();
                WebElement name = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("domain-name")));
                name.sendKeys("shop.test");
                web.findElement(By.id("domain-add")).click();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("dns-records"), "shop.test. IN MX 10 mx.a.test."));
                assertThat(web.findElement(By.id("dns-title")).getText()).isEqualTo("DNS records for shop.test");
                assertThat(f.store.directory().isLocalDomain("shop.test")).isTrue();
                wait.until(ExpectedConditions.presenceOfElementLocated(By.id("dns-shop.test")));
                shot(web, shots.resolve("admin-domains.png"));

                // add an account (generated password shown once)
                web.findElement(By.cssSelector("nav button[data-view=accounts]")).click();
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("account-address"))).sendKeys("sales@shop.test");
                web.findElement(By.id("account-add")).click();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("account-list"), "sales@shop.test"));
                assertThat(web.findElement(By.id("account-generated")).getText()).startsWith("Password for sales@shop.test (shown once): ");
                assertThat(f.store.directory().account("sales@shop.test")).isPresent();

                // hold and release the queued message
                web.findElement(By.cssSelector("nav button[data-view=queue]")).click();
                wait.until(ExpectedConditions.elementToBeClickable(By.id("hold-" + queued))).click();
                wait.until(ExpectedConditions.elementToBeClickable(By.id("release-" + queued)));
                assertThat(f.store.outbound().show(queued).orElseThrow().deliveries().getFirst().held()).isTrue();
                assertThat(web.findElement(By.id("queue-" + queued)).getText()).contains("held");
                shot(web, shots.resolve("admin-queue-held.png"));
                web.findElement(By.id("release-" + queued)).click();
                wait.until(ExpectedConditions.elementToBeClickable(By.id("hold-" + queued)));
                assertThat(f.store.outbound().show(queued).orElseThrow().deliveries().getFirst().held()).isFalse();

                // trace it by Message-ID
                web.findElement(By.cssSelector("nav button[data-view=trace]")).click();
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("trace-query"))).sendKeys("<browser-test@a.test>");
                web.findElement(By.id("trace-go")).click();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("trace-result"), "Queue id " + queued));
                assertThat(web.findElement(By.id("trace-result")).getText()).contains("friend@remote.test").contains("user@a.test");
                shot(web, shots.resolve("admin-trace.png"));

                // on a phone-sized screen the page still fits (no horizontal scrolling)
                web.manage().window().setSize(new Dimension(390, 844));
                web.findElement(By.cssSelector("nav button[data-view=domains]")).click();
                Object overflow = ((org.openqa.selenium.JavascriptExecutor) web)
                        .executeScript("return document.documentElement.scrollWidth - document.documentElement.clientWidth");
                assertThat(((Number) overflow).intValue()).isLessThanOrEqualTo(0);
                shot(web, shots.resolve("admin-phone.png"));

                // log out: the session ends on the server too
                web.findElement(By.id("logout")).click();
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-address")));
                assertThat(f.sessions.size()).isZero();
            } finally {
                web.quit();
            }
        }
    }

    private static void shot(WebDriver web, Path to) throws Exception {
        File png = ((TakesScreenshot) web).getScreenshotAs(OutputType.FILE);
        Files.copy(png.toPath(), to, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(to)).isGreaterThan(1000);
    }
}
