using System.Net;
using System.Net.Http.Json;
using Conflict409.Api.Tests.Infrastructure;
using Conflict409.Api.Users;
using static Conflict409.Api.Tests.Infrastructure.Requests;

namespace Conflict409.Api.Tests.Hardening;

public sealed class BoundedResourceTests
{
    [Fact]
    public async Task A_full_user_store_answers_507_writes_nothing_and_keeps_serving_reads()
    {
        await using var app = new Conflict409App().WithSetting("Users:Capacity", "3");
        using var client = app.CreateClient();
        (await client.RegisterAsync("third_user")).StatusCode.Should().Be(HttpStatusCode.Created);

        using var full = await client.RegisterAsync("fourth_user");
        using var fullPut = await client.SendAsync(PutUser("fifth_user", ifNoneMatch: "*"));

        var problem = await full.ShouldBeProblemAsync(HttpStatusCode.InsufficientStorage);
        problem.Type.Should().Be("/problems/store-full");
        problem.Title.Should().Be("The server cannot store more of these.");
        problem.Detail.Should().Be("The server holds as many users as it is configured to. Delete users to make room.");
        problem.Instance.Should().Be("/register");
        (await fullPut.ShouldBeProblemAsync(HttpStatusCode.InsufficientStorage)).Type.Should().Be("/problems/store-full");
        (await client.RegisterAsync("john_doe")).StatusCode.Should().Be(HttpStatusCode.Conflict, "a taken name is still a conflict");
        (await client.GetFromJsonAsync<UserPage>("/users"))!.Items.Select(user => user.Username)
            .Should().Equal("jane_smith", "john_doe", "third_user");
        (await client.GetAsync("/users/fourth_user")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        (await client.DeleteAsync("/users/third_user")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await client.RegisterAsync("fourth_user")).StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Two_hundred_parallel_registrations_into_room_for_ten_give_exactly_ten_201s()
    {
        await using var app = new Conflict409App().WithSetting("Users:Capacity", "12");
        using var client = app.CreateClient();

        var statuses = await Concurrently.SendAsync(200, i => client.RegisterAsync($"crowd_{i}"));

        statuses.Count(status => status == HttpStatusCode.Created).Should().Be(10);
        statuses.Count(status => status == HttpStatusCode.InsufficientStorage).Should().Be(190);
        (await client.GetFromJsonAsync<UserPage>("/users?limit=100"))!.Items.Should().HaveCount(12);
    }

    [Fact]
    public async Task A_full_team_store_answers_507()
    {
        await using var app = new Conflict409App().WithSetting("Users:TeamCapacity", "1");
        using var client = app.CreateClient();
        (await client.SendAsync(CreateTeam("first", "john_doe"))).StatusCode.Should().Be(HttpStatusCode.Created);

        using var full = await client.SendAsync(CreateTeam("second", "john_doe"));

        (await full.ShouldBeProblemAsync(HttpStatusCode.InsufficientStorage)).Detail
            .Should().Be("The server holds as many teams as it is configured to. Delete teams to make room.");
    }

    [Fact]
    public async Task A_request_that_outlives_the_request_timeout_is_a_503_problem()
    {
        // The store never answers; the built-in request-timeouts middleware must cut the request off.
        // The test awaits the server's answer (bounded by the 200 ms timeout), it never sleeps.
        await using var app = new Conflict409App().WithSetting("RequestTimeout", "00:00:00.200");
        var gate = GatedUserStore.Install(app);
        using var client = app.CreateClient();

        using var response = await client.RegisterAsync("stuck_user");

        (await response.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable)).Title.Should().Be("Service Unavailable");
        gate.Release();
    }
}
