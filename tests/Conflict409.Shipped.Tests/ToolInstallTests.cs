using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace Conflict409.Shipped.Tests;

/// <summary>
/// The other way to get the server: as .NET tools. Both projects are packed into a local folder (the build
/// <c>dotnet test</c> just made), installed with <c>dotnet tool install --tool-path</c> as the README says, and the
/// server is started from a directory that has nothing of the repository in it: it must find its own settings, serve
/// its lab and board, and pass the client tool's tour.
/// </summary>
public sealed partial class ToolInstallTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningPattern();

    [Fact]
    public async Task Both_tools_install_from_a_local_folder_and_the_server_runs_as_shipped_from_an_unrelated_directory()
    {
        var work = Directory.CreateTempSubdirectory("conflict409-tool-");
        try
        {
            var packages = Path.Combine(work.FullName, "packages");
            var tools = Path.Combine(work.FullName, "tools");
            var elsewhere = Directory.CreateDirectory(Path.Combine(work.FullName, "elsewhere")).FullName;
            // A package folder of its own: the user-wide cache would keep serving a package of this version packed earlier.
            var environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(work.FullName, "nuget-cache") };
            var version = typeof(Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];

            foreach (var project in (string[])["src/Conflict409.Api", "src/Conflict409.Client"])
            {
                await RunToEndAsync("dotnet", ["pack", project, "-c", BuildConfiguration, "--no-build", "-o", packages], ShippedServer.RepositoryRoot, environment);
            }

            foreach (var package in (string[])["Conflict409", "Conflict409.Client"])
            {
                await RunToEndAsync("dotnet", ["tool", "install", "--tool-path", tools, "--add-source", packages, package, "--version", version],
                    elsewhere, environment);
            }

            await using var server = await ToolServer.StartAsync(Path.Combine(tools, "conflict409"), elsewhere);
            using var client = new HttpClient { BaseAddress = server.Address };

            (await client.PostAsJsonAsync("/register", new { username = "tool_user" })).StatusCode.Should().Be(HttpStatusCode.Created);
            (await client.PostAsJsonAsync("/register", new { username = "tool_user" })).StatusCode.Should().Be(HttpStatusCode.Conflict);
            (await client.GetStringAsync("/lab")).Should().Contain("lab.js", "the lab is served from the tool's own folder");
            (await client.GetStringAsync("/lab/lab.js")).Should().Contain("/naive/register");
            (await client.GetStringAsync("/progress.html")).Should().Contain("<title>");
            server.Log.Should().Contain("Content root path: " + tools, "the settings and the lab are the tool's, not the working directory's");

            var (exitCode, tour) = await RecipeRuntimes.RunAsync(
                Path.Combine(tools, "conflict409-client"), ["tour", "--server", server.Address.ToString()], elsewhere, environment, Timeout);
            exitCode.Should().Be(0, tour);
            tour.Should().Contain("Every lesson recovered.");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static async Task RunToEndAsync(string program, string[] arguments, string workingDirectory, Dictionary<string, string> environment)
    {
        var (exitCode, output) = await RecipeRuntimes.RunAsync(program, arguments, workingDirectory, environment, Timeout);
        exitCode.Should().Be(0, $"{program} {string.Join(' ', arguments)} printed:\n{output}");
    }

    private static string BuildConfiguration =>
        typeof(ToolInstallTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    /// <summary>The installed <c>conflict409</c> command, on a free loopback port, with none of the test host's settings.</summary>
    private sealed class ToolServer : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _log = new();
        private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private ToolServer(Process process) => _process = process;

        public Uri Address { get; private set; } = null!;

        public string Log
        {
            get
            {
                lock (_log)
                {
                    return _log.ToString();
                }
            }
        }

        public static async Task<ToolServer> StartAsync(string command, string workingDirectory)
        {
            var start = new ProcessStartInfo(command)
            {
                WorkingDirectory = workingDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add("--urls");
            start.ArgumentList.Add("http://127.0.0.1:0");
            foreach (var variable in start.Environment.Keys.Where(ShippedServer.IsHostSetting).ToList())
            {
                start.Environment.Remove(variable);
            }

            var server = new ToolServer(Process.Start(start)!);
            server._process.OutputDataReceived += (_, line) => server.Record(line.Data);
            server._process.ErrorDataReceived += (_, line) => server.Record(line.Data);
            server._process.BeginOutputReadLine();
            server._process.BeginErrorReadLine();
            var first = await Task.WhenAny(server._listening.Task, server._process.WaitForExitAsync(), Task.Delay(Timeout));
            if (first != server._listening.Task)
            {
                await server.DisposeAsync();
                throw new InvalidOperationException($"conflict409 did not start. Its output:\n{server.Log}");
            }

            server.Address = await server._listening.Task;
            return server;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
        }

        private void Record(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_log)
            {
                _log.AppendLine(line);
            }

            if (ListeningPattern().Match(line) is { Success: true } listening)
            {
                _listening.TrySetResult(new Uri(listening.Groups[1].Value));
            }
        }
    }
}
