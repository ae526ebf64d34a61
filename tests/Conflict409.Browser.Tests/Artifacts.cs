namespace Conflict409.Browser.Tests;

/// <summary>Where screenshots go: CONFLICT409_ARTIFACTS when set (.ci/run sets it), else artifacts/ beside the tests.</summary>
public static class Artifacts
{
    public static string ScreenshotPath(string name)
    {
        var folder = Environment.GetEnvironmentVariable("CONFLICT409_ARTIFACTS") is { Length: > 0 } artifacts
            ? artifacts
            : Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name);
    }
}
