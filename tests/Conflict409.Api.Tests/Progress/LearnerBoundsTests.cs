using System.Net;
using Conflict409.Api.Progress;
using Conflict409.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static Conflict409.Api.Tests.Infrastructure.Requests;

namespace Conflict409.Api.Tests.Progress;

/// <summary>Who a learner is, what a hostile one gets, and how much the server keeps.</summary>
public sealed class LearnerBoundsTests
{
    private readonly FakeTimeProvider _clock = new(ProgressApp.Start);

    public static TheoryData<string> HostileNames => new()
    {
        new string('a', Learner.MaxNameLength + 1),
        new string('x', 8_000),
        "ada\u0001bob",
        "ada\tbob",
        "ada bob",
        "1ada",
        "ada:bob",
        "<script>alert(1)</script>",
        "ümlaut",
        "ada%0Abob",
    };

    [Theory]
    [MemberData(nameof(HostileNames))]
    public async Task A_malformed_learner_header_serves_the_request_and_its_board_is_a_400_problem_that_never_echoes_or_logs_it(string name)
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();
        var request = Register("hostile_user");
        request.Headers.TryAddWithoutValidation(Learner.HeaderName, name);
        var board = new HttpRequestMessage(HttpMethod.Get, "/progress");
        board.Headers.TryAddWithoutValidation(Learner.HeaderName, name);

        var response = await client.SendAsync(request);
        var refused = await client.SendAsync(board);

        response.StatusCode.Should().Be(HttpStatusCode.Created, "a lesson's request never fails for its Learner header");
        response.Headers.GetValues(Learner.IgnoredHeaderName).Should().Equal("invalid-learner");
        var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.Type.Should().Be("/problems/invalid-learner");
        problem.Title.Should().Be("The Learner header is malformed.");
        problem.Detail.Should().Be(Learner.InvalidHeaderDetail);
        problem.Instance.Should().Be("/progress");
        (await response.Content.ReadAsStringAsync()).Should().NotContain(name);
        (await refused.Content.ReadAsStringAsync()).Should().NotContain(name);
        app.Logs.GetSnapshot().Should().NotContain(record => record.Message.Contains(name) || record.StructuredState!.Any(pair => pair.Value != null && pair.Value.Contains(name)));
    }

    [Fact]
    public async Task Two_learner_headers_are_ignored_and_the_query_names_only_a_valid_learner()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();
        var twice = new HttpRequestMessage(HttpMethod.Get, "/users/john_doe");
        twice.Headers.Add(Learner.HeaderName, ["ada", "bob"]);

        var served = await client.SendAsync(twice);
        served.StatusCode.Should().Be(HttpStatusCode.OK);
        served.Headers.GetValues(Learner.IgnoredHeaderName).Should().Equal("invalid-learner");
        var query = await (await client.GetAsync("/progress?learner=%3Cscript%3E")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        query.Type.Should().Be("/problems/invalid-learner");
        query.Detail.Should().NotContain("<script>");
        (await client.BoardAsync("127.0.0.1")).IdentifiedBy.Should().Be("address");
        (await client.BoardAsync("2001:db8:1:2::/64")).IdentifiedBy.Should().Be("address");
    }

    [Fact]
    public async Task Without_a_header_the_learner_is_the_client_address()
    {
        await using var app = new Conflict409App();
        using var fromTwo = new HttpClient(app.Server.CreateHandler(context => context.Connection.RemoteIpAddress = IPAddress.Parse("::ffff:127.0.0.2")))
        {
            BaseAddress = app.Server.BaseAddress,
        };

        (await fromTwo.RegisterAsync("john_doe")).StatusCode.Should().Be(HttpStatusCode.Conflict);

        var board = await fromTwo.BoardAsync();
        board.Learner.Should().Be("127.0.0.2");
        board.IdentifiedBy.Should().Be("address");
        board.Lines().Should().Equal(ProgressApp.Expected("duplicate-registration: conflict-seen, 1 conflict(s), 0 recovery(ies)"));
    }

    [Fact]
    public async Task Many_distinct_learners_are_bounded_and_the_longest_inactive_is_forgotten_first()
    {
        await using var app = new Conflict409App().WithClock(_clock).WithSetting("Progress:MaxLearners", "50");
        using var first = app.Learner("learner0");
        (await first.RegisterAsync("john_doe")).StatusCode.Should().Be(HttpStatusCode.Conflict);

        // One address holds at most Progress:MaxLearnersPerAddress names: these learners are a hundred and fifty machines.
        var learners = Enumerable.Range(1, 150).Select(i => app.Learner($"learner{i}", $"10.0.{i / 100}.{i % 100}")).ToArray();

        var statuses = await Concurrently.SendAsync(learners.Length, i => learners[i].RegisterAsync("john_doe"));

        statuses.Should().AllBeEquivalentTo(HttpStatusCode.Conflict);
        // Grading runs in the background: every request answered so far is graded once this completes.
        await app.Services.GetRequiredService<ProgressRecorder>().GradedSoFarAsync(TestContext.Current.CancellationToken);
        app.Services.GetRequiredService<ProgressBoards>().Count.Should().Be(50);
        (await first.BoardAsync()).Version.Should().Be(0, "learner0 was the longest inactive");
    }

    [Fact]
    public async Task Events_per_learner_are_bounded_oldest_first_and_a_board_expires_after_its_lifetime()
    {
        await using var app = new Conflict409App().WithClock(_clock)
            .WithSetting("Progress:MaxEventsPerLearner", "3")
            .WithSetting("Progress:LearnerLifetime", "00:30:00");
        using var ada = app.Learner("ada");
        foreach (var name in new[] { "john_doe", "jane_smith", "ada_1", "ada_2" })
        {
            await ada.RegisterAsync(name);
        }

        var board = await ada.BoardAsync();
        board.Events.Select(e => e.Status).Should().Equal(409, 201, 201);
        board.Lines().Should().Equal(ProgressApp.Expected("duplicate-registration: recovered, 2 conflict(s), 1 recovery(ies)"));

        _clock.Advance(TimeSpan.FromMinutes(29));
        (await ada.BoardAsync()).Version.Should().Be(board.Version);
        _clock.Advance(TimeSpan.FromMinutes(1));
        var expired = await ada.BoardAsync();
        expired.Version.Should().Be(0);
        expired.Lines().Should().Equal(ProgressApp.Expected());
    }

    [Fact]
    public async Task Delete_progress_resets_only_the_callers_own_board()
    {
        await using var app = new Conflict409App();
        using var ada = app.Learner("ada");
        using var bob = app.Learner("bob");
        await ada.RegisterAsync("john_doe");
        await bob.RegisterAsync("john_doe");

        (await ada.DeleteAsync("/progress")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await ada.BoardAsync()).Lines().Should().Equal(ProgressApp.Expected());
        (await ada.BoardAsync("bob")).Lines().Should().Equal(ProgressApp.Expected("duplicate-registration: conflict-seen, 1 conflict(s), 0 recovery(ies)"));
    }

    [Fact]
    public async Task Switched_off_nothing_is_recorded_and_the_header_is_ignored()
    {
        await using var app = new Conflict409App().WithSetting("Progress:Enabled", "false");
        using var ada = app.Learner("ada");
        var hostile = new HttpRequestMessage(HttpMethod.Get, "/users/john_doe");
        hostile.Headers.TryAddWithoutValidation(Learner.HeaderName, "1 not a name");

        (await ada.RegisterAsync("john_doe")).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await ada.SendAsync(hostile)).StatusCode.Should().Be(HttpStatusCode.OK);

        var board = await ada.BoardAsync();
        board.Recording.Should().BeFalse();
        board.Lines().Should().Equal(ProgressApp.Expected());
    }

    [Theory]
    [InlineData("Progress:MaxLearners", "0")]
    [InlineData("Progress:MaxEventsPerLearner", "0")]
    [InlineData("Progress:LearnerLifetime", "00:00:00")]
    [InlineData("Progress:QueueCapacity", "-1")]
    public void Invalid_progress_options_stop_the_server_at_start(string key, string value)
    {
        using var app = new Conflict409App().WithSetting(key, value);

        var start = () => app.CreateClient();

        start.Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().Which.Message.Should().Contain(key.Split(':')[1]);
    }
}
