using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Conflict409.Shipped.Tests;

/// <summary>
/// What runs a recipe of each language on this machine: the command a learner would type (<c>python3 lesson0.py</c>),
/// or why it cannot run here. Looked up once per language.
/// </summary>
public static class RecipeRuntimes
{
    /// <summary>A runtime found: the program and the arguments before the recipe's file name.</summary>
    public sealed record Runtime(string Program, IReadOnlyList<string> Arguments);

    private static readonly Dictionary<string, Lazy<Task<(Runtime? Runtime, string? Missing)>>> Found = new()
    {
        ["python"] = new(FindPythonAsync),
        ["javascript"] = new(FindNodeAsync),
        ["csharp"] = new(() => Task.FromResult<(Runtime?, string?)>((new Runtime("dotnet", ["run"]), null))),
        ["curl"] = new(FindCurlAsync),
    };

    /// <summary>The runtime for <paramref name="language"/>, or why there is none (the test is then skipped with that reason).</summary>
    public static Task<(Runtime? Runtime, string? Missing)> FindAsync(string language) => Found[language].Value;

    /// <summary>Runs <paramref name="program"/> and returns its exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(
        string program, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment,
        TimeSpan timeout)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, line) => { lock (output) { output.AppendLine(line.Data); } };
        process.ErrorDataReceived += (_, line) => { lock (output) { output.AppendLine(line.Data); } };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (-1, $"{program} could not be started");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            lock (output)
            {
                output.AppendLine(CultureInfo.InvariantCulture, $"(killed after {timeout})");
            }
        }

        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }

    private static async Task<(int ExitCode, string Output)> ProbeAsync(string program, params string[] arguments) =>
        await RunAsync(program, arguments, Path.GetTempPath(), new Dictionary<string, string>(), TimeSpan.FromSeconds(30));

    /// <summary>
    /// A python3 that can import httpx: Debian's python3-httpx installs for /usr/bin/python3, which a pyenv or venv
    /// python3 earlier on PATH does not see, so that one is tried first.
    /// </summary>
    private static async Task<(Runtime?, string?)> FindPythonAsync()
    {
        foreach (var python in (string[])["/usr/bin/python3", "python3"])
        {
            if ((await ProbeAsync(python, "-c", "import httpx")).ExitCode == 0)
            {
                return (new Runtime(python, []), null);
            }
        }

        return (null, "no python3 here can import httpx: run `apt-get install -y python3-httpx` (.ci/run does) or `pip install httpx`.");
    }

    private static async Task<(Runtime?, string?)> FindNodeAsync()
    {
        var (exitCode, output) = await ProbeAsync("node", "--version");
        return exitCode == 0 && Version.TryParse(output.Trim().TrimStart('v'), out var version) && version.Major >= 18
            ? (new Runtime("node", []), null)
            : (null, $"Node.js 18 or later is not installed (node --version: {output.Trim()}): run `apt-get install -y nodejs` (.ci/run does).");
    }

    private static async Task<(Runtime?, string?)> FindCurlAsync() =>
        (await ProbeAsync("bash", "-c", "curl --version")).ExitCode == 0
            ? (new Runtime("bash", []), null)
            : (null, "bash with curl is not installed: run `apt-get install -y curl`.");
}
