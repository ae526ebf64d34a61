namespace Conflict409.Api.Hosting;

/// <summary>
/// Where the server looks for appsettings.json and the lab (wwwroot). ASP.NET Core takes the working directory, which
/// is right for <c>dotnet run</c> (it starts the app in the project folder) and for WebApplicationFactory (which sets
/// its own). An installed .NET tool (<c>conflict409</c>) is started from anywhere, and its settings and lab sit beside
/// its assembly: without this it would run on the framework's defaults and serve the lab as empty pages.
/// </summary>
public static class ToolContentRoot
{
    /// <summary>What <c>dotnet tool install</c> leaves beside a tool's assembly, and nothing else does.</summary>
    public const string ToolSettingsFile = "DotnetToolSettings.xml";

    /// <summary>
    /// The app's own folder when it is an installed tool (<see cref="ToolSettingsFile"/> beside it), unless a content
    /// root is given (<c>--contentRoot</c>, ASPNETCORE_CONTENTROOT or DOTNET_CONTENTROOT); otherwise null, the
    /// framework's default.
    /// </summary>
    public static string? Choose(IReadOnlyList<string> args, string appDirectory, Func<string, string?> environment)
    {
        var given = args.Any(arg => arg.Contains("contentRoot", StringComparison.OrdinalIgnoreCase))
            || environment("ASPNETCORE_CONTENTROOT") is { Length: > 0 }
            || environment("DOTNET_CONTENTROOT") is { Length: > 0 };
        return !given && File.Exists(Path.Combine(appDirectory, ToolSettingsFile)) ? appDirectory : null;
    }

    /// <summary><see cref="Choose"/> for this process.</summary>
    public static string? For(string[] args) => Choose(args, AppContext.BaseDirectory, Environment.GetEnvironmentVariable);
}
