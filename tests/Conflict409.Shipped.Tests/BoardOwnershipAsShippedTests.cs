using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Conflict409.Api.Progress;
using Conflict409.Api.Users;
using Microsoft.AspNetCore.Mvc;

namespace Conflict409.Shipped.Tests;

/// <summary>
/// Issue #20, as shipped: each learner's board is theirs on one server with a whole class, at the published defaults
/// (Progress:MaxLearnersPerAddress 32, 250 registrations per client per 10 minutes, 32 connections per address),
/// over real sockets, each simulated machine at a loopback address of its own.
/// </summary>
public sealed class BoardOwnershipAsShippedTests(ShippedServer server) : IClassFixture<ShippedServer>
{
    private const int MaxLearnersPerAddress = 32;
    private const int Registrations = 250;
    private static readonly TimeSpan RegistrationTokenPeriod = TimeSpan.FromMinutes(10) / Registrations;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_impostors_blind_retries_and_reset_under_another_addresses_name_never_touch_that_board()
    {
        var name = Unique("ada");
        using var ada = server.ClientFrom(server.NextLearnerAddress(), name);
        var impostorAddress = server.NextLearnerAddress();
        using var impostor = server.ClientFrom(impostorAddress, name);
        (await Register(ada, "john_doe")).StatusCode.Should().Be(HttpStatusCode.Conflict);

        for (var attempt = 0; attempt < 4; attempt++)
        {
            using var blind = await Register(impostor, "john_doe");
            blind.StatusCode.Should().Be(HttpStatusCode.Conflict);
            blind.Headers.GetValues(Learner.IgnoredHeaderName).Should().Equal("learner-name-taken");
        }

        using var wipe = await impostor.DeleteAsync("/progress", Cancel);

        wipe.StatusCode.Should().Be(HttpStatusCode.Conflict);
        wipe.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = (await wipe.Content.ReadFromJsonAsync<ProblemDetails>(Cancel))!;
        problem.Type.Should().Be("/problems/learner-name-taken");
        problem.Title.Should().Be("This learner name belongs to another address.");
        (await Registration(ada)).Should().Be("conflict-seen, 1 conflict(s), no mistakes");
        (await Registration(impostor, impostorAddress)).Should().Be("conflict-seen, 4 conflict(s), blind-retry×3");
    }

    [Fact]
    public async Task One_address_minting_a_learner_name_per_request_keeps_32_and_evicts_no_one_elses_board()
    {
        const int requests = 1_500;
        using var victim = server.ClientFrom(server.NextLearnerAddress(), Unique("victim"));
        // Within the shipped connection cap (32 per address), as a flooder that wants answers would.
        using var flooder = server.ClientFrom(server.NextLearnerAddress(), configure: handler => handler.MaxConnectionsPerServer = 16);
        (await Register(victim, "john_doe")).StatusCode.Should().Be(HttpStatusCode.Conflict);
        var prefix = Unique("flood");

        var responses = await Concurrently(requests, async i =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/register") { Content = JsonContent.Create(new { username = $"{prefix}_{i}" }) };
            request.Headers.Add(Learner.HeaderName, $"{prefix}{i}");
            using var response = await flooder.SendAsync(request, Cancel);
            return (response.StatusCode, Ignored: response.Headers.TryGetValues(Learner.IgnoredHeaderName, out var values) ? values.Single() : null);
        });

        responses.Count(response => response.Ignored is null).Should().Be(MaxLearnersPerAddress);
        responses.Count(response => response.Ignored == "too-many-learner-names").Should().Be(requests - MaxLearnersPerAddress);
        responses.Count(response => response.StatusCode == HttpStatusCode.TooManyRequests).Should().BeGreaterThan(requests / 2, "most are refused");
        (await Registration(victim)).Should().Be("conflict-seen, 1 conflict(s), no mistakes");
    }

    [Fact]
    public async Task Five_learners_behind_one_address_each_have_their_own_registration_budget()
    {
        var school = server.NextLearnerAddress();
        var prefix = Unique("nat");
        // The connection cap stays per address (Kestrel counts connections before any header): five learners share
        // its 32 connections, as five browsers (about six each) would.
        var learners = Enumerable.Range(1, 5)
            .Select(n => server.ClientFrom(school, $"{prefix}{n}", configure: handler => handler.MaxConnectionsPerServer = 6))
            .ToArray();
        var clock = Stopwatch.StartNew();

        var statuses = await Concurrently(Registrations + 10, async i =>
        {
            using var response = await Register(learners[0], $"{prefix}_{i}");
            return response.StatusCode;
        });

        // The real clock gives back one registration per 2.4 s: as many as the burst took at most.
        var refilled = (int)(clock.Elapsed / RegistrationTokenPeriod) + 1;
        statuses.Count(status => status == HttpStatusCode.Created).Should().BeInRange(Registrations, Registrations + refilled);
        statuses.Count(status => status == HttpStatusCode.TooManyRequests).Should().BeGreaterThan(0);
        foreach (var classmate in learners.Skip(1))
        {
            using var response = await Register(classmate, $"{prefix}_{Array.IndexOf(learners, classmate)}_own");
            response.StatusCode.Should().Be(HttpStatusCode.Created, "a classmate's budget is its own");
            response.Headers.Contains(Learner.IgnoredHeaderName).Should().BeFalse();
        }

        foreach (var learner in learners)
        {
            learner.Dispose();
        }
    }

    [Fact]
    public async Task Delete_progress_naming_another_addresses_learner_is_a_409_and_resets_nothing()
    {
        using var learner1 = server.ClientFrom(server.NextLearnerAddress(), Unique("one"));
        var name2 = Unique("two");
        using var learner2 = server.ClientFrom(server.NextLearnerAddress(), name2);
        (await Register(learner1, "john_doe")).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await Register(learner2, "john_doe")).StatusCode.Should().Be(HttpStatusCode.Conflict);

        using var reset = await learner1.DeleteAsync($"/progress?learner={name2}", Cancel);

        reset.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await reset.Content.ReadFromJsonAsync<ProblemDetails>(Cancel))!.Type.Should().Be("/problems/learner-name-taken");
        (await Registration(learner1)).Should().Be("conflict-seen, 1 conflict(s), no mistakes");
        (await Registration(learner2)).Should().Be("conflict-seen, 1 conflict(s), no mistakes");
        (await learner1.DeleteAsync("/progress", Cancel)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await Registration(learner1)).Should().Be("not-started, 0 conflict(s), no mistakes");
    }

    [Theory]
    [InlineData("Zoë Müller")]
    [InlineData("2nd-row")]
    public async Task A_learner_name_the_board_cannot_use_still_gets_the_lessons_answer(string name)
    {
        var address = server.NextLearnerAddress();
        // Sent as curl sends it: the bytes as typed, in UTF-8.
        using var client = server.ClientFrom(address, configure: handler => handler.RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/register") { Content = JsonContent.Create(new { username = "john_doe" }) };
        request.Headers.TryAddWithoutValidation(Learner.HeaderName, name);

        using var response = await client.SendAsync(request, Cancel);

        response.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await response.Content.ReadFromJsonAsync<ProblemDetails>(Cancel))!.Type.Should().Be("/problems/username-taken");
        response.Headers.GetValues(Learner.IgnoredHeaderName).Should().Equal("invalid-learner");
        (await Registration(client, address)).Should().Be("conflict-seen, 1 conflict(s), no mistakes");
    }

    private static string Unique(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..(prefix.Length + 12)];

    private static Task<HttpResponseMessage> Register(HttpClient client, string username) =>
        client.PostAsJsonAsync("/register", new { username }, Cancel);

    /// <summary>Lesson 0's line of the board: the caller's own, or <paramref name="learner"/>'s.</summary>
    private static async Task<string> Registration(HttpClient client, string? learner = null)
    {
        var board = (await client.GetFromJsonAsync<ProgressBoard>(learner is null ? "/progress" : $"/progress?learner={learner}", Cancel))!;
        var lesson = board.Lessons.Single(lesson => lesson.Id == DuplicateRegistrationLesson.Entry.Id);
        var mistakes = lesson.Mistakes.Count == 0 ? "no mistakes" : string.Join(", ", lesson.Mistakes.Select(mistake => $"{mistake.Id}×{mistake.Count}"));
        return $"{lesson.State}, {lesson.Conflicts} conflict(s), {mistakes}";
    }

    /// <summary>Starts every attempt at one start line, so they really race.</summary>
    private static async Task<T[]> Concurrently<T>(int count, Func<int, Task<T>> attempt)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var attempts = Enumerable.Range(0, count).Select(async i =>
        {
            await start.Task;
            return await attempt(i);
        }).ToList();
        start.SetResult();
        return await Task.WhenAll(attempts);
    }
}
