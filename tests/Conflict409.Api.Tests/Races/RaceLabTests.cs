using System.Net;
using System.Net.Http.Json;
using Conflict409.Api.Races;
using Conflict409.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Conflict409.Api.Tests.Infrastructure.Requests;

namespace Conflict409.Api.Tests.Races;

/// <summary>Lesson 6: the naive check-then-act endpoint loses the race, POST /register does not.</summary>
public sealed class RaceLabTests
{
    // Enough to be a real burst, few enough that the PostgreSQL run's connections stay well inside the shared cluster's.
    private const int Racers = 50;
    private static readonly TimeSpan ThinkTime = TimeSpan.FromMilliseconds(250);

    [Fact]
    public async Task Racers_held_between_check_and_add_all_get_201_from_the_naive_endpoint_and_one_201_from_register()
    {
        var clock = new ObservedClock();
        await using var app = new Conflict409App().WithServices(services => services.AddSingleton<TimeProvider>(clock));
        StartingLineUserStore.Install(app, Racers);
        using var client = app.CreateClient();
        var plan = await (await client.SendAsync(PlanRace(Racers, (int)ThinkTime.TotalMilliseconds)))
            .Content.ReadFromJsonAsync<RacePlan>();

        // The gate: every racer has passed the check (its think time started) before the clock lets any of them add.
        var naive = Concurrently.SendAsync(Racers, _ => client.SendAsync(RegisterNaively(plan!)));
        await clock.DelaysStartedAsync(Racers, ThinkTime);
        clock.Advance(ThinkTime);
        var naiveStatuses = await naive;
        // The same burst at the real endpoint, every racer at the store's door before any goes in.
        var atomicStatuses = await Concurrently.SendAsync(Racers, _ => client.RegisterAsync(plan!.Username));
        var outcome = await client.GetFromJsonAsync<RaceOutcome>(plan!.OutcomePath);

        naiveStatuses.Should().AllBeEquivalentTo(HttpStatusCode.Created, "every racer passed the check before any added");
        atomicStatuses.Count(status => status == HttpStatusCode.Created).Should().Be(1);
        atomicStatuses.Count(status => status == HttpStatusCode.Conflict).Should().Be(Racers - 1);
        outcome.Should().Be(new RaceOutcome(plan.Username, NaiveCopies: Racers, Registered: true));
        (await client.GetFromJsonAsync<Conflict409.Api.Users.UserPage>("/users?limit=100"))!.Total
            .Should().Be(3, "the real store holds the raced name once, beside the two seeded users");
    }

    [Fact]
    public async Task A_racer_that_arrives_after_the_adds_gets_409_and_each_201_counts_the_copies()
    {
        var clock = new ObservedClock();
        await using var app = new Conflict409App().WithServices(services => services.AddSingleton<TimeProvider>(clock));
        using var client = app.CreateClient();

        var first = client.SendAsync(RegisterNaively("twice_user", thinkTimeMs: 100));
        var second = client.SendAsync(RegisterNaively("TWICE_USER", thinkTimeMs: 100));
        await clock.DelaysStartedAsync(2, TimeSpan.FromMilliseconds(100));
        clock.Advance(TimeSpan.FromMilliseconds(100));
        using var firstResponse = await first;
        using var secondResponse = await second;
        using var late = await client.SendAsync(RegisterNaively("twice_user", thinkTimeMs: 100));

        var copies = new[]
        {
            (await firstResponse.Content.ReadFromJsonAsync<NaiveRegistrationResponse>())!,
            (await secondResponse.Content.ReadFromJsonAsync<NaiveRegistrationResponse>())!,
        };
        copies.Select(response => response.Copies).Should().BeEquivalentTo([1, 2]);
        copies.Should().OnlyContain(response => response.Message == NaiveRegistrationResponse.WarningMessage);
        firstResponse.Headers.Location.Should().Be(new Uri("/lab/races/twice_user", UriKind.Relative));
        var problem = await late.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        problem.Type.Should().Be("/problems/username-taken");
        problem.Title.Should().Be("Username already exists.");
        problem.Instance.Should().Be("/naive/register");
        problem.ExtensionString("existingUsername").Should().BeOneOf("twice_user", "TWICE_USER");
        (await client.GetAsync("/users/twice_user")).StatusCode.Should().Be(HttpStatusCode.NotFound, "the naive list is not the real store");
    }

    [Fact]
    public async Task One_request_at_a_time_the_naive_endpoint_answers_like_register_and_its_list_can_be_emptied()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        (await client.SendAsync(RegisterNaively("serial_user", thinkTimeMs: 0))).StatusCode.Should().Be(HttpStatusCode.Created);
        (await client.SendAsync(RegisterNaively("serial_user", thinkTimeMs: 0))).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await client.DeleteAsync("/naive/names")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await client.GetFromJsonAsync<RaceOutcome>("/lab/races/serial_user")).Should().Be(new RaceOutcome("serial_user", 0, false));
        (await client.SendAsync(RegisterNaively("serial_user", thinkTimeMs: 0))).StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_full_naive_list_answers_507_until_it_is_emptied()
    {
        await using var app = new Conflict409App().WithSetting("RaceLab:NaiveCapacity", "1");
        using var client = app.CreateClient();
        (await client.SendAsync(RegisterNaively("first_name", thinkTimeMs: 0))).StatusCode.Should().Be(HttpStatusCode.Created);

        using var full = await client.SendAsync(RegisterNaively("second_name", thinkTimeMs: 0));

        var problem = await full.ShouldBeProblemAsync(HttpStatusCode.InsufficientStorage);
        problem.Type.Should().Be("/problems/store-full");
        problem.Detail.Should().Be("Your naive name list is full (RaceLab:NaiveCapacity). DELETE /naive/names empties it.");
        problem.Instance.Should().Be("/naive/register");
    }

    [Fact]
    public async Task A_plan_names_a_fresh_user_and_the_paths_of_both_bursts()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        using var response = await client.PostAsJsonAsync("/lab/races", new { racers = 100 });
        var plan = await response.Content.ReadFromJsonAsync<RacePlan>();

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        response.Headers.Location.Should().Be(new Uri(plan!.OutcomePath, UriKind.Relative));
        plan.Username.Should().MatchRegex("^race_[0-9a-f]{8}$");
        plan.Should().BeEquivalentTo(new
        {
            Racers = 100,
            ThinkTimeMs = 300,
            NaivePath = "/naive/register?thinkTimeMs=300",
            AtomicPath = "/register",
            OutcomePath = $"/lab/races/{plan.Username}",
            Connections = 32,
        });
    }

    [Theory]
    [InlineData("""{ "racers": 1 }""", "racers")]
    [InlineData("""{ "racers": 201 }""", "racers")]
    [InlineData("""{ }""", "racers")]
    [InlineData("""{ "racers": 100, "thinkTimeMs": -1 }""", "thinkTimeMs")]
    [InlineData("""{ "racers": 100, "thinkTimeMs": 2001 }""", "thinkTimeMs")]
    public async Task A_plan_out_of_range_is_a_400_validation_problem(string json, string member)
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        using var response = await client.PostJsonAsync("/lab/races", json);

        (await response.ShouldBeValidationProblemAsync()).Errors.Should().ContainKey(member);
    }

    [Theory]
    [InlineData("/lab/races", """{ "racers": "many" }""")]
    [InlineData("/lab/races", """{ "racers": 1e9 }""")]
    [InlineData("/lab/races", "racers=100")]
    [InlineData("/naive/register", """{ "username": "x" """)]
    [InlineData("/naive/register?thinkTimeMs=-1", """{ "username": "race_user" }""")]
    [InlineData("/naive/register?thinkTimeMs=2001", """{ "username": "race_user" }""")]
    [InlineData("/naive/register?thinkTimeMs=soon", """{ "username": "race_user" }""")]
    [InlineData("/naive/register?thinkTimeMs=99999999999", """{ "username": "race_user" }""")]
    [InlineData("/naive/register", """{ "username": "a b" }""")]
    public async Task Bad_input_to_the_lab_is_a_400_problem_at_once(string path, string body)
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        using var response = await client.PostJsonAsync(path, body);

        (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Instance.Should().Be(path.Split('?')[0]);
    }
}
