using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Conflict409.Api.Progress;

namespace Conflict409.Shipped.Tests;

/// <summary>
/// Runs every <c>```console</c> transcript of the README and of the documents it links for the rest (each lesson's
/// walk-through by hand, the server reference: <see cref="Documents"/>) against the server started as the README says,
/// and checks that what a document shows is what a learner sees (<see cref="TranscriptLine"/> says how lines are
/// compared). All of them run against one server, each transcript's commands in order in one bash.
/// Each transcript runs in bash, in a fresh working directory (its own cookie jar), with curl sending from a fresh
/// loopback address, so one transcript's registrations, keys and rate limits never meet another's. The client's
/// commands run as the documents write them, with <c>--no-build</c> (the test build has built the client) and the
/// test server's address; they connect from 127.0.0.1, which no other transcript uses. The tour's lesson 4 waits out
/// the catalogue's Retry-After (10 s at the defaults), so the tour's transcript takes 15–30 s and this class about a
/// minute in all.
/// </summary>
public sealed partial class ReadmeTranscriptTests(ShippedServer server) : IClassFixture<ShippedServer>
{
    private const string ReadmeAddress = "http://localhost:5000";
    private const string ClientCommand = "dotnet run --project src/Conflict409.Client";
    private static readonly TimeSpan TranscriptTimeout = TimeSpan.FromMinutes(3);

    /// <summary>
    /// The documents whose transcripts run, by their path from the repository root: the README first. A markdown file
    /// with a console block that is missing here fails <see cref="Every_document_with_a_console_transcript_is_listed"/>.
    /// </summary>
    public static IReadOnlyList<string> Documents { get; } =
    [
        "README.md",
        "src/Conflict409.Api/Users/README.md",
        "src/Conflict409.Api/Idempotency/README.md",
        "src/Conflict409.Api/Races/README.md",
        "src/Conflict409.Api/Shop/README.md",
        "src/Conflict409.Api/README.md",
    ];

    /// <summary>Commands the documents show that cannot run here, by how they start, each with the reason.</summary>
    public static IReadOnlyDictionary<string, string> NotRunHere { get; } = new Dictionary<string, string>
    {
        ["dotnet tool install -g dotnet-counters"] = "it installs a global tool on the machine that runs the tests",
        ["dotnet-counters monitor"] = "it watches the server until stopped and prints a live screen, not a transcript",
    };

    public static TheoryData<string> Transcripts => [.. ReadDocuments().Select(transcript => transcript.Label)];

    [Theory]
    [MemberData(nameof(Transcripts))]
    public async Task Each_console_transcript_in_the_documents_is_what_a_learner_sees(string label)
    {
        var transcript = ReadDocuments().Single(candidate => candidate.Label == label);
        var skipped = transcript.Commands.Where(command => ReasonNotRun(command) is not null).ToList();
        if (skipped.Count == transcript.Commands.Count)
        {
            Assert.Skip($"Not run here: {string.Join("; ", skipped.Select(command => $"'{command.Text}' because {ReasonNotRun(command)}"))}.");
        }

        skipped.Should().BeEmpty("a transcript runs whole or not at all, so that its outputs follow from its commands");

        var curlAddress = server.NextLearnerAddress();
        var outputs = await RunAsync(transcript, curlAddress);

        outputs.Should().HaveCount(transcript.Commands.Count, "every command of the transcript ran; the script printed:\n{0}", string.Join("\n", outputs.SelectMany(output => output)));
        foreach (var (command, output) in transcript.Commands.Zip(outputs))
        {
            // The documents' address is the server's: where a transcript prints it, the test server's is printed.
            var expected = command.ExpectedOutput.Select(line => line.Replace(ReadmeAddress, TestServerAddress, StringComparison.Ordinal)).ToList();
            TranscriptLine.FindMismatch(expected, output)
                .Should().BeNull($"{transcript.Document} shows what '$ {command.Text}' prints; it printed:\n{string.Join("\n", output)}\n");
        }

        // Following the documents' examples is never a mistake: not on the curl learner's board, nor on the client's.
        foreach (var source in new[] { curlAddress, ClientAddress })
        {
            using var client = server.ClientFrom(source);
            var board = await client.GetFromJsonAsync<ProgressBoard>("/progress", TestContext.Current.CancellationToken);
            board!.Lessons.SelectMany(lesson => lesson.Mistakes.Select(mistake => $"{lesson.Id}: {mistake.Id}"))
                .Should().BeEmpty($"the examples of '{label}' were followed as written");
        }
    }

    /// <summary>Where the client's commands connect from: the test process's own loopback address.</summary>
    private const string ClientAddress = "127.0.0.1";

    [Fact]
    public void The_commands_left_unrun_are_all_still_in_the_documents()
    {
        var commands = ReadDocuments().SelectMany(transcript => transcript.Commands).Select(command => command.Text).ToList();

        NotRunHere.Keys.Should().OnlyContain(start => commands.Any(command => command.StartsWith(start, StringComparison.Ordinal)),
            "an entry that no longer names a command of the documents would hide nothing, and should go");
    }

    [Fact]
    public void The_documents_have_console_transcripts_to_check()
    {
        Documents.Should().StartWith("README.md").And.OnlyContain(document => ReadDocument(document).Count > 0,
            "a listed document without a console block is a transcript moved or lost");
        ReadDocuments().Should().Contain(transcript => transcript.Commands.Any(command => command.Text.StartsWith(ClientCommand, StringComparison.Ordinal)))
            .And.Contain(transcript => transcript.Commands.Any(command => command.Text.StartsWith("curl", StringComparison.Ordinal)));
    }

    private static string? ReasonNotRun(TranscriptCommand command) =>
        NotRunHere.FirstOrDefault(entry => command.Text.StartsWith(entry.Key, StringComparison.Ordinal)).Value;

    [Fact]
    public void Every_document_with_a_console_transcript_is_listed()
    {
        var withTranscripts = MarkdownFiles(new DirectoryInfo(ShippedServer.RepositoryRoot))
            .Where(file => File.ReadLines(file.FullName).Contains("```console"))
            .Select(file => Path.GetRelativePath(ShippedServer.RepositoryRoot, file.FullName).Replace('\\', '/'));

        withTranscripts.Should().BeSubsetOf(Documents, "a transcript in a document that is not listed would never be run");
    }

    /// <summary>The repository's markdown files, outside build output and dependencies.</summary>
    private static IEnumerable<FileInfo> MarkdownFiles(DirectoryInfo directory) =>
        directory.EnumerateFiles("*.md").Concat(directory.EnumerateDirectories()
            .Where(child => child.Name is not ("bin" or "obj" or "node_modules" or "artifacts" or "TestResults") && !child.Name.StartsWith('.'))
            .SelectMany(MarkdownFiles));

    private static IReadOnlyList<ConsoleTranscript> ReadDocuments() => [.. Documents.SelectMany(ReadDocument)];

    private static IReadOnlyList<ConsoleTranscript> ReadDocument(string document) =>
        ConsoleTranscript.ReadAll(document, File.ReadAllText(Path.Combine([ShippedServer.RepositoryRoot, .. document.Split('/')])));

    /// <summary>Runs the transcript's commands in one bash, and returns what each printed (stdout and stderr), in order.</summary>
    private async Task<List<List<string>>> RunAsync(ConsoleTranscript transcript, string curlAddress)
    {
        var directory = Directory.CreateTempSubdirectory("conflict409-readme-");
        try
        {
            var script = new StringBuilder()
                .AppendLine("exec 2>&1")
                .AppendLine(CultureInfo.InvariantCulture, $"cd {Quote(directory.FullName)}")
                // curl from a loopback address of this transcript's own: to the server, a learner at a machine of its own.
                .AppendLine(CultureInfo.InvariantCulture, $"curl() {{ command curl --interface {curlAddress} \"$@\"; }}");
            foreach (var command in transcript.Commands)
            {
                script.AppendLine(CultureInfo.InvariantCulture, $"printf '\\n{CommandMarker}\\n'").AppendLine(AsRunHere(command.Text));
            }

            var scriptPath = Path.Combine(directory.FullName, "transcript.sh");
            await File.WriteAllTextAsync(scriptPath, script.ToString(), TestContext.Current.CancellationToken);

            var start = new ProcessStartInfo("bash")
            {
                WorkingDirectory = directory.FullName,
                RedirectStandardOutput = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
                StandardOutputEncoding = Encoding.UTF8,
            };
            start.ArgumentList.Add(scriptPath);
            using var bash = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
            bash.StandardInput.Close();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(TranscriptTimeout);
            var printed = bash.StandardOutput.ReadToEndAsync(timeout.Token);
            try
            {
                await bash.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                bash.Kill(entireProcessTree: true);
                throw;
            }

            var lines = (await printed).ReplaceLineEndings("\n").Split('\n');
            var outputs = new List<List<string>>();
            foreach (var line in lines)
            {
                if (line == CommandMarker)
                {
                    outputs.Add([]);
                }
                else if (outputs.Count > 0)
                {
                    outputs[^1].Add(line);
                }
            }

            return outputs;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private const string CommandMarker = "@@conflict409-readme-next-command@@";

    /// <summary>
    /// The command as this test runs it: the test server's address for localhost:5000, an optional <c>[--server ...]</c>
    /// given, and the client run from its build.
    /// </summary>
    private string AsRunHere(string command)
    {
        command = OptionalServer().Replace(command, "$1").Replace(ReadmeAddress, TestServerAddress, StringComparison.Ordinal);
        return command.Replace(ClientCommand,
            $"dotnet run --project {Quote(Path.Combine(ShippedServer.RepositoryRoot, "src", "Conflict409.Client"))} --no-build -c {ShippedServer.BuildConfiguration}",
            StringComparison.Ordinal);
    }

    private string TestServerAddress => server.Address.GetLeftPart(UriPartial.Authority);

    private static string Quote(string path) => $"'{path.Replace("'", "'\\''", StringComparison.Ordinal)}'";

    [GeneratedRegex(@"\[(--server [^\]]+)\]")]
    private static partial Regex OptionalServer();
}
