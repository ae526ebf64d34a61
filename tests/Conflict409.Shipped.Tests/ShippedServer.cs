using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace Conflict409.Shipped.Tests;

/// <summary>
/// The server exactly as the README starts it: <c>dotnet run --project src/Conflict409.Api</c> from the repository
/// root, so it runs as Production with <c>appsettings.json</c> unchanged. Two additions, both outside the app's
/// configuration: <c>--no-build</c> (<c>dotnet test</c> has just built it) and <c>--urls</c> with port 0, so
/// parallel runs never fight over port 5000. Learners are told apart the way a class is: each simulated learner
/// connects from its own loopback address (<see cref="ClientFrom"/>). A subclass may add command-line settings
/// (<see cref="ShippedServerBehindProxy"/>); this one adds none.
/// </summary>
public partial class ShippedServer : IAsyncLifetime
{
    private readonly IReadOnlyList<string> _extraArguments;

    public ShippedServer()
        : this([])
    {
    }

    /// <param name="extraArguments">Settings after the README's command, e.g. <c>--ForwardedHeaders:KnownProxies:0=127.0.0.2</c>.</param>
    protected ShippedServer(IReadOnlyList<string> extraArguments) => _extraArguments = extraArguments;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);


    private readonly StringBuilder _log = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Process? _process;

    // 127.0.0.1 is the test process itself; learners start at .10 and each gets an address of its own.
    private int _lastLearnerAddress = 9;

    public Uri Address { get; private set; } = null!;

    /// <summary>Everything the server printed, for assertions on the log and for failure messages.</summary>
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

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningPattern();

    public async ValueTask InitializeAsync()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["run", "--project", "src/Conflict409.Api", "--no-build", "-c", BuildConfiguration,
            "--", "--urls", "http://127.0.0.1:0", .. _extraArguments])
        {
            start.ArgumentList.Add(argument);
        }

        // A learner's shell has none of the test host's settings: no environment, no store, no lifted limits.
        foreach (var variable in start.Environment.Keys.Where(IsHostSetting).ToList())
        {
            start.Environment.Remove(variable);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("dotnet run did not start");
        _process.OutputDataReceived += (_, line) => Record(line.Data);
        _process.ErrorDataReceived += (_, line) => Record(line.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(_listening.Task, exited, Task.Delay(StartTimeout));
        if (first != _listening.Task)
        {
            throw new InvalidOperationException($"The server did not start as the README says. Its output:\n{Log}");
        }

        Address = await _listening.Task;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>A fresh loopback address: to the server, a learner at a machine of its own.</summary>
    public string NextLearnerAddress() => $"127.0.0.{Interlocked.Increment(ref _lastLearnerAddress)}";

    /// <summary>
    /// A client whose connections come from <paramref name="sourceAddress"/> (see <see cref="NextLearnerAddress"/>),
    /// with its own cookie jar; with <paramref name="decompress"/>, it asks for compressed responses as browsers do;
    /// <paramref name="configure"/> adjusts its handler (e.g. its connections, or how header values are encoded).
    /// </summary>
    /// <param name="onResponse">Sees every response, e.g. to count 5xx across a whole class.</param>
    public HttpClient ClientFrom(
        string sourceAddress, string? learner = null, bool decompress = false, Action<SocketsHttpHandler>? configure = null,
        Action<HttpResponseMessage>? onResponse = null)
    {
        var source = IPAddress.Parse(sourceAddress);
        var handler = new SocketsHttpHandler
        {
            UseCookies = true,
            AutomaticDecompression = decompress ? DecompressionMethods.All : DecompressionMethods.None,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        configure?.Invoke(handler);
        var client = new HttpClient(onResponse is null ? handler : new ResponseObserver(onResponse) { InnerHandler = handler })
        {
            BaseAddress = Address,
        };
        if (learner is not null)
        {
            client.DefaultRequestHeaders.Add("Learner", learner);
        }

        return client;
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

    internal static bool IsHostSetting(string variable) =>
        variable.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)
        || variable.StartsWith("DOTNET_ENVIRONMENT", StringComparison.OrdinalIgnoreCase)
        || variable.StartsWith("CONFLICT409_", StringComparison.OrdinalIgnoreCase)
        || variable.StartsWith("OTEL_", StringComparison.OrdinalIgnoreCase);

    /// <summary>The configuration this test assembly was built in, which <c>dotnet test</c> built the server in too.</summary>
    public static string BuildConfiguration =>
        typeof(ShippedServer).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Conflict409.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No Conflict409.sln above {AppContext.BaseDirectory}");
    }

    private sealed class ResponseObserver(Action<HttpResponseMessage> observe) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            observe(response);
            return response;
        }
    }
}
