using Microsoft.Playwright;

namespace Conflict409.Browser.Tests;

/// <summary>
/// One headless Chromium for the test class. Playwright drives Debian's chromium package; its own browser
/// download cannot work here and is not needed. Without that binary the tests are skipped, never passed.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/lib/chromium/chromium";

    private IPlaywright? _playwright;

    public IBrowser? Browser { get; private set; }

    public static string SkipReason =>
        $"Chromium is not installed at {ChromiumPath}: run `apt-get install -y chromium` (.ci/run does) to run the browser tests.";

    /// <summary>
    /// Skips the calling test when Chromium is missing, saying why where a plain <c>dotnet test</c> shows it: its
    /// console prints a skip reason only at normal verbosity, xunit's diagnostic messages (xunit.runner.json) always.
    /// </summary>
    public void SkipUnlessLaunched()
    {
        if (Browser is null)
        {
            TestContext.Current.SendDiagnosticMessage($"Skipping {TestContext.Current.Test?.TestDisplayName}: {SkipReason}");
            Assert.Skip(SkipReason);
        }
    }

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            return;
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // This machine has no network beyond loopback: keep Chromium from reaching for Google's services.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
