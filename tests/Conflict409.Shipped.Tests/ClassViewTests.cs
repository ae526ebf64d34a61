using System.Net;
using System.Net.Http.Json;
using Conflict409.Api.Progress;

namespace Conflict409.Shipped.Tests;

/// <summary>The teacher's class view on the server as the README starts it, with learners at machines of their own.</summary>
public sealed class ClassViewTests(ShippedServer server) : IClassFixture<ShippedServer>
{
    [Fact]
    public async Task The_class_json_lists_learners_from_several_addresses_with_their_lessons()
    {
        var addresses = Enumerable.Range(0, 3).Select(_ => server.NextLearnerAddress()).ToArray();
        foreach (var address in addresses)
        {
            using var learner = server.ClientFrom(address);
            using var response = await learner.PostAsJsonAsync("/register", new { username = "john_doe" }, TestContext.Current.CancellationToken);
            response.StatusCode.Should().Be(HttpStatusCode.Conflict);
        }

        using var teacher = server.ClientFrom(server.NextLearnerAddress());
        var view = await teacher.GetFromJsonAsync<ClassView>("/progress/class", TestContext.Current.CancellationToken);

        view!.Recording.Should().BeTrue();
        view.MaxLearners.Should().Be(new ProgressOptions().MaxLearners);
        foreach (var address in addresses)
        {
            var row = view.Learners.Should().ContainSingle(row => row.Learner == address).Subject;
            row.IdentifiedBy.Should().Be("address");
            row.Lessons.Single(cell => cell.Id == "duplicate-registration").State.Should().Be(LessonStates.ConflictSeen);
        }
    }

    [Fact]
    public async Task A_forwarded_address_from_an_untrusted_client_is_ignored_because_the_shipped_server_trusts_no_proxy()
    {
        var address = server.NextLearnerAddress();
        using var client = server.ClientFrom(address);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/register") { Content = JsonContent.Create(new { username = "john_doe" }) };
        request.Headers.Add("X-Forwarded-For", "203.0.113.77");

        (await client.SendAsync(request, TestContext.Current.CancellationToken)).StatusCode.Should().Be(HttpStatusCode.Conflict);

        var view = await client.GetFromJsonAsync<ClassView>("/progress/class", TestContext.Current.CancellationToken);
        view!.Learners.Select(row => row.Learner).Should().Contain(address).And.NotContain("203.0.113.77");
    }

    [Fact]
    public async Task The_class_page_opens_and_the_startup_log_links_it()
    {
        using var client = server.ClientFrom(server.NextLearnerAddress());

        using var page = await client.GetAsync(ClassEndpoints.PagePath, TestContext.Current.CancellationToken);

        page.StatusCode.Should().Be(HttpStatusCode.OK);
        (await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Should().Contain("<title>Conflict409 — the class</title>");
        server.Log.Should().Contain($"the teacher's class view {server.Address.ToString().TrimEnd('/')}{ClassEndpoints.PagePath}");
    }
}
