using System.Net;
using System.Text.Json;
using Conflict409.Api.Progress;
using Conflict409.Api.Tests.Infrastructure;

namespace Conflict409.Api.Tests.Progress;

/// <summary>The live board: Server-Sent Events that follow the learner's requests.</summary>
public sealed class ProgressStreamTests
{
    private static async Task<ProgressBoard> NextBoardAsync(StreamReader events)
    {
        string? eventType = null;
        while (await events.ReadLineAsync(TestContext.Current.CancellationToken) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                eventType = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                eventType.Should().Be(ProgressEndpoints.BoardEventType);
                return JsonSerializer.Deserialize<ProgressBoard>(line["data: ".Length..], JsonSerializerOptions.Web)!;
            }
        }

        throw new InvalidOperationException("The stream ended.");
    }

    [Fact]
    public async Task The_stream_sends_the_board_at_once_and_again_after_each_graded_request()
    {
        await using var app = new Conflict409App();
        using var ada = app.Learner("ada");
        using var watcher = app.CreateClient();
        using var response = await watcher.GetAsync("/progress/events?learner=ada", HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/event-stream");
        using var events = new StreamReader(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));

        var empty = await NextBoardAsync(events);
        await ada.RegisterAsync("john_doe");
        var seen = await NextBoardAsync(events);
        await ada.RegisterAsync("ada_new");
        var recovered = await NextBoardAsync(events);

        empty.Version.Should().Be(0);
        seen.Lines().Should().Equal(ProgressApp.Expected("duplicate-registration: conflict-seen, 1 conflict(s), 0 recovery(ies)"));
        recovered.Lines().Should().Equal(ProgressApp.Expected("duplicate-registration: recovered, 1 conflict(s), 1 recovery(ies)"));
    }

    [Fact]
    public async Task The_board_page_is_html_that_listens_to_the_stream()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        using var response = await client.GetAsync(ProgressEndpoints.PagePath, TestContext.Current.CancellationToken);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))
            .Should().Contain("new EventSource('/progress/events'").And.Contain("textContent");
    }
}
