using System.Net;
using System.Net.Http.Json;
using Conflict409.Api.Catalog;
using Conflict409.Api.Tests.Infrastructure;

namespace Conflict409.Api.Tests.Catalog;

public sealed class BlockingGetTests
{
    // A window far longer than the test, so the limit cannot reset mid-test and nothing waits on the clock.
    private static Conflict409App AppWithLimit(int permits, int? rejectionStatus = null)
    {
        var app = new Conflict409App()
            .WithSetting("Catalog:RateLimit:PermitLimit", permits.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithSetting("Catalog:RateLimit:Window", "01:00:00");
        return rejectionStatus is { } status
            ? app.WithSetting("Catalog:RateLimit:RejectionStatusCode", status.ToString(System.Globalization.CultureInfo.InvariantCulture))
            : app;
    }

    [Fact]
    public async Task Pages_of_the_catalogue_are_served_within_the_limit()
    {
        await using var app = AppWithLimit(permits: 10);
        using var client = app.CreateClient();

        var page = await client.GetFromJsonAsync<ProductPage>("/catalog/products?page=2");

        page!.Page.Should().Be(2);
        page.TotalPages.Should().Be(5);
        page.Items.Select(product => product.Id).Should().Equal(Enumerable.Range(11, 10));
        (await client.GetFromJsonAsync<ProductPage>("/catalog/products?page=9"))!.Items.Should().BeEmpty();
    }

    [Fact]
    public async Task Over_the_limit_a_get_is_answered_with_the_non_standard_409_and_retry_after()
    {
        await using var app = AppWithLimit(permits: 3);
        using var client = app.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            (await client.GetAsync("/catalog/products")).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        using var blocked = await client.GetAsync("/catalog/products?page=2");

        var problem = await blocked.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        problem.Type.Should().Be("/problems/blocked-by-rate-limit");
        problem.Title.Should().Be("Request blocked: too many requests from this client.");
        problem.Detail.Should().StartWith("More than 3 requests in 3600 s from this client. Retry after ");
        problem.Instance.Should().Be("/catalog/products");
        blocked.Headers.RetryAfter!.Delta.Should().BeGreaterThan(TimeSpan.Zero).And.BeLessThanOrEqualTo(TimeSpan.FromHours(1));
        problem.Extensions["retryAfterSeconds"]!.ToString().Should().Be(((long)blocked.Headers.RetryAfter.Delta!.Value.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Configured_for_the_correct_behaviour_it_answers_429()
    {
        await using var app = AppWithLimit(permits: 1, rejectionStatus: 429);
        using var client = app.CreateClient();
        (await client.GetAsync("/catalog/products")).StatusCode.Should().Be(HttpStatusCode.OK);

        using var blocked = await client.GetAsync("/catalog/products");

        var problem = await blocked.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
        problem.Type.Should().Be("/problems/too-many-requests");
        blocked.Headers.RetryAfter!.Delta.Should().BeGreaterThan(TimeSpan.Zero);
    }

    [Fact]
    public async Task The_limit_applies_to_the_catalogue_only()
    {
        await using var app = AppWithLimit(permits: 1);
        using var client = app.CreateClient();
        (await client.GetAsync("/catalog/products")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.GetAsync("/catalog/products")).StatusCode.Should().Be(HttpStatusCode.Conflict);

        (await client.GetAsync("/users/john_doe")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.RegisterAsync("still_welcome")).StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_page_below_one_is_a_400_validation_problem()
    {
        await using var app = AppWithLimit(permits: 10);
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/catalog/products?page=0");

        (await response.ShouldBeValidationProblemAsync()).Errors.Should().ContainKey("page");
    }
}
