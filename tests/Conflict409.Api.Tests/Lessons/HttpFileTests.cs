using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Conflict409.Api.Tests.Infrastructure;
using Conflict409.Api.Tests.Progress;

namespace Conflict409.Api.Tests.Lessons;

/// <summary>
/// Replays src/Conflict409.Api/Conflict409.Api.http top to bottom and checks that every request returns the
/// status its title promises, so the file a learner walks through cannot drift from what the server does.
/// </summary>
public sealed partial class HttpFileTests
{
    private sealed record HttpFileRequest(
        string Title, int ExpectedStatus, string? Name, HttpMethod Method, string Path, List<(string Name, string Value)> Headers, string Body);

    [GeneratedRegex(@"→ (\d{3})")]
    private static partial Regex ExpectedStatusPattern();

    // A value from an earlier named response, as REST Client and Visual Studio write it: {{cart.response.body.$.formToken}},
    // {{lesson1.response.body.$.fixtures.user}}.
    [GeneratedRegex(@"\{\{(\w+)\.response\.body\.\$((?:\.\w+)+)\}\}")]
    private static partial Regex ResponseVariablePattern();

    [Fact]
    public async Task Every_request_in_the_http_file_returns_the_status_its_title_promises()
    {
        // The lesson 4 request says "send it more than 10 times"; a limit of one makes a single send enough.
        await using var app = new Conflict409App().WithSetting("Catalog:RateLimit:PermitLimit", "1");
        using var client = app.CreateClient();

        await ReplayAsync(client);
    }

    [Fact]
    public async Task A_class_sending_the_http_file_at_once_gets_every_promised_status_and_no_mistake_on_any_board()
    {
        await using var app = new Conflict409App().WithSetting("Catalog:RateLimit:PermitLimit", "1");
        var learners = Enumerable.Range(1, 5).Select(n => app.Learner($"learner{n}", $"10.0.0.{n}")).ToArray();

        // Every learner works on the names its own readings of the lessons handed out: nobody edits, deletes or
        // claims another's user or team, so each one's run is the same as if it were alone.
        await Task.WhenAll(learners.Select(ReplayAsync));

        foreach (var learner in learners)
        {
            var board = await learner.BoardAsync();
            board.Lines().Should().Equal(ProgressApp.Expected(
                "duplicate-registration: recovered, 3 conflict(s), 1 recovery(ies)",
                "versioning: recovered, 3 conflict(s), 1 recovery(ies)",
                "referenced-resource: recovered, 1 conflict(s), 1 recovery(ies)",
                "idempotency-key: recovered, 1 conflict(s), 1 recovery(ies)",
                "blocking-get: conflict-seen, 1 conflict(s), 0 recovery(ies)",
                "stale-session: recovered, 1 conflict(s), 1 recovery(ies)"), "following the file is never a mistake");
            learner.Dispose();
        }
    }

    private static async Task ReplayAsync(HttpClient client)
    {
        var requests = Parse(await File.ReadAllTextAsync(FindHttpFile()));

        requests.Should().HaveCountGreaterThan(25);
        var namedResponses = new Dictionary<string, JsonElement>();
        string Resolve(string text) => ResponseVariablePattern().Replace(text, variable =>
            variable.Groups[2].Value.Split('.', StringSplitOptions.RemoveEmptyEntries)
                .Aggregate(namedResponses[variable.Groups[1].Value], (node, property) => node.GetProperty(property)).GetString()!);

        foreach (var request in requests)
        {
            using var message = new HttpRequestMessage(request.Method, Resolve(request.Path));
            if (request.Body.Length > 0)
            {
                message.Content = new StringContent(Resolve(request.Body), Encoding.UTF8);
                message.Content.Headers.ContentType = null;
            }

            foreach (var (name, value) in request.Headers)
            {
                if (!message.Headers.TryAddWithoutValidation(name, Resolve(value)))
                {
                    message.Content!.Headers.TryAddWithoutValidation(name, Resolve(value));
                }
            }

            using var response = await client.SendAsync(message);
            ((int)response.StatusCode).Should().Be(request.ExpectedStatus, request.Title);
            if (request.Name is not null)
            {
                namedResponses[request.Name] = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            }
        }
    }

    private static List<HttpFileRequest> Parse(string text)
    {
        var requests = new List<HttpFileRequest>();
        foreach (var block in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n###").Skip(1))
        {
            var lines = block.Split('\n');
            var title = lines[0].Trim();
            var expected = int.Parse(ExpectedStatusPattern().Match(title).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            var index = 1;
            string? name = null;
            for (; lines[index].StartsWith('#'); index++)
            {
                name = lines[index].StartsWith("# @name ", StringComparison.Ordinal) ? lines[index]["# @name ".Length..].Trim() : name;
            }

            var requestLine = lines[index++].Split(' ', 2);
            var headers = new List<(string, string)>();
            for (; index < lines.Length && lines[index].Length > 0; index++)
            {
                var colon = lines[index].IndexOf(':', StringComparison.Ordinal);
                headers.Add((lines[index][..colon], lines[index][(colon + 1)..].Trim()));
            }

            var body = string.Join('\n', lines.Skip(index).Where(line => !line.StartsWith('#'))).Trim();
            requests.Add(new HttpFileRequest(title, expected, name, new HttpMethod(requestLine[0]),
                requestLine[1].Replace("{{host}}", "", StringComparison.Ordinal), headers, body));
        }

        return requests;
    }

    private static string FindHttpFile() => RepositoryFiles.Find("src", "Conflict409.Api", "Conflict409.Api.http");
}
