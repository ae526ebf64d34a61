namespace Conflict409.Api.Hosting;

/// <summary>
/// Where the server looks for appsettings.json and the lab (wwwroot). ASP.NET Core takes the working directory, which
/// is right for <c>dotnet run</c> (it starts the app in the project folder) and for a published folder started from
/// inside it. An installed .NET tool (<c>conflict409</c>) is started from anywhere, and its settings and lab sit beside
/// its assembly: without this it would run on the framework's defaults and serve the lab as empty pages.
/// </summary>
public static class ToolContentRoot
{
    public const string SettingsFile = "appsettings.json";

    /// <summary>
    /// The app's own folder when the working directory has no <see cref="SettingsFile"/> and the app's folder has one,
    /// unless a content root is given (<c>--contentRoot</c>, ASPNETCORE_CONTENTROOT or DOTNET_CONTENTROOT, as
    /// WebApplicationFactory and hosting scripts do); otherwise null, the framework's default.
    /// </summary>
    public static string? Choose(IReadOnlyList<string> args, string workingDirectory, string appDirectory, Func<string, string?> environment)
    {
        var given = args.Any(arg => arg.Contains("contentRoot", StringComparison.OrdinalIgnoreCase))
            || environment("ASPNETCORE_CONTENTROOT") is { Length: > 0 }
            || environment("DOTNET_CONTENTROOT") is { Length: > 0 };
        return !given && !File.Exists(Path.Combine(workingDirectory, SettingsFile)) && File.Exists(Path.Combine(appDirectory, SettingsFile))
            ? appDirectory
            : null;
    }

    /// <summary><see cref="Choose"/> for this process.</summary>
    public static string? For(string[] args) =>
        Choose(args, Directory.GetCurrentDirectory(), AppContext.BaseDirectory, Environment.GetEnvironmentVariable);
}
