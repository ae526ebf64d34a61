using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Conflict409.Api.Lessons;

namespace Conflict409.Shipped.Tests;

/// <summary>
/// A person following a lesson's steps, as <c>GET /lessons/{id}</c> lists them, to the letter: each step that is a
/// request (<c>PUT /users/editor_…/profile If-Match: "1" {"displayName":"A"} → 412 precondition-failed</c>) is sent
/// as written and must get the status, problem type and headers it promises. The few steps written as prose say
/// what a person does by hand (a second terminal, waiting Retry-After); each has its reading below, and a step
/// this walker cannot read fails the walk rather than being skipped.
/// </summary>
public sealed partial class LessonWalker(ShippedServer server, string address, string learner)
{
    /// <summary>Steps a learner cannot send to the server as shipped, each with the reason and where it is tested instead.</summary>
    public static readonly IReadOnlyDictionary<string, string> NotSentAsShipped = new Dictionary<string, string>
    {
        ["with Catalog:RateLimit:RejectionStatusCode=429"] = "needs another setting (Catalog rate limit tests cover it)",
        ["open /lab"] = "a page, fetched by StaticPagesTests and driven by the browser tests",
        ["dotnet run --project src/Conflict409.Api -- --Store=PostgreSql"] = "lesson 5 needs two servers on PostgreSQL (SeveralInstancesTests)",
        ["the same on --urls"] = "lesson 5 needs two servers on PostgreSQL (SeveralInstancesTests)",
        ["POST :5000/register"] = "lesson 5 needs two servers on PostgreSQL (SeveralInstancesTests)",
        ["with the default in-memory store, both"] = "lesson 5 needs two servers (SeveralInstancesTests)",
    };

    /// <summary>The race name the catalogue writes as an example; the walk uses the one POST /lab/races handed out.</summary>
    private const string ExampleRaceName = "race_3f9a1c2b";

    private const string SecondTerminal = "the same request from a second terminal or tab";
    private const string AfterRetryAfterSameKey = "after n seconds, the same key and payload";
    private const string AfterRetryAfter = "after waiting the Retry-After seconds: ";

    private readonly HttpClient _client = server.ClientFrom(address, learner);
    private readonly List<string> _log = [];
    private string? _formToken;
    private string? _raceName;
    private TimeSpan _retryAfter;
    private Step? _previous;

    /// <summary>Every request and answer of the walk, for the failure message.</summary>
    public string Transcript => string.Join('\n', _log);

    [GeneratedRegex(@"^(GET|POST|PUT|DELETE) (\S+)\s*(.*)$")]
    private static partial Regex RequestPattern();

    [GeneratedRegex(@"^([A-Za-z-]+): (""[^""]*""|\S+)\s*")]
    private static partial Regex HeaderPattern();

    [GeneratedRegex(@"^(\d{3})(?: ([a-z]+(?:-[a-z]+)+))?")]
    private static partial Regex ExpectedPattern();

    [GeneratedRegex(@"ETag: (""[^""]*"")")]
    private static partial Regex ExpectedETagPattern();

    [GeneratedRegex(@"^×(\d+) at once\s*")]
    private static partial Regex BurstPattern();

    [GeneratedRegex(@"^\(repeat past [^)]*\)\s*")]
    private static partial Regex RepeatPattern();

    public async Task WalkAsync(string lessonId)
    {
        var lesson = (await _client.GetFromJsonAsync<Lesson>($"/lessons/{lessonId}"))!;
        for (var index = 0; index < lesson.Requests.Count; index++)
        {
            var step = lesson.Requests[index];
            if (NotSentAsShipped.Keys.Any(prefix => step.StartsWith(prefix, StringComparison.Ordinal)))
            {
                _log.Add($"(not sent as shipped) {step}");
            }
            else if (index + 1 < lesson.Requests.Count && lesson.Requests[index + 1].StartsWith(SecondTerminal, StringComparison.Ordinal))
            {
                // Sent with the next step, from "two terminals" at once.
                _log.Add($"# {step}");
                _previous = Step.Parse(step);
            }
            else
            {
                await TakeAsync(step);
            }
        }
    }

    public async Task<Api.Progress.ProgressBoard> BoardAsync() =>
        (await _client.GetFromJsonAsync<Api.Progress.ProgressBoard>("/progress"))!;

    private async Task TakeAsync(string text)
    {
        _log.Add($"# {text}");
        if (text.StartsWith(SecondTerminal, StringComparison.Ordinal))
        {
            await SecondTerminalAsync(text);
            return;
        }

        if (text.StartsWith(AfterRetryAfterSameKey, StringComparison.Ordinal))
        {
            await WaitRetryAfterAsync();
            var replay = await SendAsync(_previous!);
            await CheckAsync(replay, Expectation.Parse(text[(text.IndexOf('→') + 1)..]), text);
            replay.Headers.GetValues("Idempotent-Replayed").Should().Equal(["true"], text);
            return;
        }

        if (text.StartsWith(AfterRetryAfter, StringComparison.Ordinal))
        {
            await WaitRetryAfterAsync();
            text = text[AfterRetryAfter.Length..];
        }

        var step = Step.Parse(text.Replace(ExampleRaceName, _raceName ?? ExampleRaceName, StringComparison.Ordinal));
        _previous = step;
        if (step.Repeat)
        {
            await RepeatUntilRefusedAsync(step, text);
        }
        else if (step.Burst > 0)
        {
            await BurstAsync(step, text);
        }
        else
        {
            await CheckAsync(await SendAsync(step), step.Expected!, text);
        }
    }

    /// <summary>
    /// The same request from two terminals at once: whichever arrives first holds the key, the other gets the 409.
    /// Which one wins does not matter, so the walk needs no timing to see the conflict.
    /// </summary>
    private async Task SecondTerminalAsync(string text)
    {
        var answers = await Task.WhenAll(SendAsync(_previous!), SendAsync(_previous!));
        var refused = answers.Single(answer => answer.StatusCode == HttpStatusCode.Conflict);
        await CheckAsync(refused, Expectation.Parse(text[(text.IndexOf('→') + 1)..]), text);
        await CheckAsync(answers.Single(answer => answer != refused), _previous!.Expected!, text);
    }

    private async Task RepeatUntilRefusedAsync(Step step, string text)
    {
        for (var sent = 0; sent <= 1000; sent++)
        {
            var response = await SendAsync(step);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                await CheckAsync(response, step.Expected!, text);
                return;
            }
        }

        throw new InvalidOperationException($"{text}: never refused");
    }

    private async Task BurstAsync(Step step, string text)
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, step.Burst).Select(_ => SendAsync(step)));
        var created = answers.Count(answer => answer.StatusCode == HttpStatusCode.Created);
        var taken = answers.Count(answer => answer.StatusCode == HttpStatusCode.Conflict);
        var expectation = text[(text.IndexOf('→') + 1)..];
        if (expectation.Contains("exactly one 201", StringComparison.Ordinal))
        {
            created.Should().Be(1, text);
            taken.Should().Be(step.Burst - 1, text);
        }
        else
        {
            expectation.Should().Contain("several 201", "a burst's expectation this walker can read");
            created.Should().BeGreaterThan(1, text);
            (created + taken).Should().Be(step.Burst, $"{text}: every racer is answered 201 or 409");
        }
    }

    private async Task WaitRetryAfterAsync()
    {
        _retryAfter.Should().BePositive("a step that waits Retry-After follows a refusal that gave one");
        _log.Add($"  (waits {_retryAfter.TotalSeconds:0} s, as Retry-After said)");
        // A person waiting as told: the wall clock is the subject here, not a way to synchronise.
        await Task.Delay(_retryAfter);
    }

    private async Task<HttpResponseMessage> SendAsync(Step step)
    {
        using var request = new HttpRequestMessage(new HttpMethod(step.Method), step.Path);
        foreach (var (name, value) in step.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value == "…" ? _formToken : value);
        }

        if (step.Body is { } body)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        // "(without cookies)": the same person from a fresh client, which has no session.
        using var cookieless = step.WithoutCookies ? server.ClientFrom(address, learner) : null;
        var response = await (cookieless ?? _client).SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        var content = await response.Content.ReadAsStringAsync();
        _log.Add($"  {step.Method} {step.Path} → {(int)response.StatusCode} {Truncate(content)}");
        Remember(response, content);
        return response;
    }

    private void Remember(HttpResponseMessage response, string content)
    {
        if (response.Headers.RetryAfter?.Delta is { } wait)
        {
            _retryAfter = wait;
        }

        if (!(response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) ?? false) || content.Length == 0)
        {
            return;
        }

        using var json = JsonDocument.Parse(content);
        if (json.RootElement.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (json.RootElement.TryGetProperty("formToken", out var token))
        {
            _formToken = token.GetString();
        }

        if (response.RequestMessage?.RequestUri?.AbsolutePath == "/lab/races" && json.RootElement.TryGetProperty("username", out var race))
        {
            _raceName = race.GetString();
        }
    }

    private static async Task CheckAsync(HttpResponseMessage response, Expectation expected, string step)
    {
        ((int)response.StatusCode).Should().Be(expected.Status, step);
        if (expected.ProblemType is { } type)
        {
            response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json", step);
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            problem.RootElement.GetProperty("type").GetString().Should().Be($"/problems/{type}", step);
        }

        if (expected.ETag is { } etag)
        {
            response.Headers.ETag!.Tag.Should().Be(etag, step);
        }

        if (expected.RetryAfter)
        {
            response.Headers.RetryAfter.Should().NotBeNull(step);
        }
    }

    private static string Truncate(string content) => content.Length > 160 ? content[..160] + "…" : content;

    private sealed record Expectation(int Status, string? ProblemType, string? ETag, bool RetryAfter)
    {
        public static Expectation Parse(string text)
        {
            text = text.Trim();
            // "(held 8 s) 201": what the person sees while waiting is not part of the answer.
            if (text.StartsWith("(held", StringComparison.Ordinal))
            {
                text = text[(text.IndexOf(')', StringComparison.Ordinal) + 1)..].Trim();
            }

            var match = ExpectedPattern().Match(text);
            match.Success.Should().BeTrue($"'{text}' starts with the status the step promises");
            return new Expectation(
                int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
                match.Groups[2].Success ? match.Groups[2].Value : null,
                ExpectedETagPattern().Match(text) is { Success: true } etag ? etag.Groups[1].Value : null,
                text.Contains("Retry-After", StringComparison.Ordinal));
        }
    }

    /// <param name="Expected">Null for a burst, whose answers are counted (<see cref="BurstAsync"/>).</param>
    private sealed record Step(
        string Method, string Path, List<(string Name, string Value)> Headers, string? Body, Expectation? Expected,
        int Burst, bool Repeat, bool WithoutCookies)
    {
        public static Step Parse(string text)
        {
            var arrow = text.IndexOf('→');
            arrow.Should().BePositive($"'{text}' is a request with the answer it promises");
            var request = RequestPattern().Match(text[..arrow].Trim());
            request.Success.Should().BeTrue($"'{text}' is a request this walker can send (or is listed in NotSentAsShipped)");
            var rest = request.Groups[3].Value;
            var burst = 0;
            var repeat = false;
            var withoutCookies = false;
            var headers = new List<(string, string)>();
            while (rest.Length > 0 && rest[0] is not ('{' or '['))
            {
                if (BurstPattern().Match(rest) is { Success: true } times)
                {
                    burst = int.Parse(times.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                    rest = rest[times.Length..];
                }
                else if (RepeatPattern().Match(rest) is { Success: true } repeated)
                {
                    repeat = true;
                    rest = rest[repeated.Length..];
                }
                else if (rest.StartsWith("(without cookies)", StringComparison.Ordinal))
                {
                    withoutCookies = true;
                    rest = rest["(without cookies)".Length..].TrimStart();
                }
                else if (HeaderPattern().Match(rest) is { Success: true } header)
                {
                    headers.Add((header.Groups[1].Value, header.Groups[2].Value));
                    rest = rest[header.Length..];
                }
                else
                {
                    throw new FormatException($"'{text}': cannot read '{rest}'");
                }
            }

            return new Step(
                request.Groups[1].Value, request.Groups[2].Value, headers, rest.Length > 0 ? rest : null,
                burst > 0 ? null : Expectation.Parse(text[(arrow + 1)..]), burst, repeat, withoutCookies);
        }
    }
}
