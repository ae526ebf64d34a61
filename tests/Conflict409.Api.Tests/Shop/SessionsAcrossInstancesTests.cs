using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Conflict409.Api.Shop;
using Conflict409.Api.Storage.Postgres;
using Conflict409.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using static Conflict409.Api.Tests.Infrastructure.Requests;

namespace Conflict409.Api.Tests.Shop;

/// <summary>
/// Lesson 7 behind a load balancer (#21): with Store=PostgreSql the session, and the keys that sign its cookie and
/// the form token, live in the database, so a learner's next request may land on any instance.
/// </summary>
public sealed class SessionsAcrossInstancesTests
{
    private const string AddItemPath = ShopEndpoints.CartPath + "/items";

    private const string NoLiveSession =
        "The session cookie names no live session: it expired, was evicted, was forged, or its order was placed. GET /shop/cart starts a new one.";

    /// <summary>One learner's browser: one cookie jar, whichever instance the balancer sends a request to.</summary>
    private sealed class Learner(Conflict409App first, Conflict409App second) : IDisposable
    {
        private readonly CookieContainer _cookies = new();
        private HttpClient? _first;
        private HttpClient? _second;

        public HttpClient OnFirst => _first ??= first.CreateDefaultClient(new CookieContainerHandler(_cookies));

        public HttpClient OnSecond => _second ??= second.CreateDefaultClient(new CookieContainerHandler(_cookies));

        public void Dispose()
        {
            _first?.Dispose();
            _second?.Dispose();
        }
    }

    [Fact]
    public async Task Two_in_memory_instances_do_not_know_each_others_sessions_which_is_why_the_database_keeps_them()
    {
        await using var first = Conflict409App.InMemory();
        await using var second = Conflict409App.InMemory();
        using var learner = new Learner(first, second);
        var page = await learner.OnFirst.ReadCartAsync();

        using var added = await learner.OnSecond.SendAsync(PostWithFormToken(AddItemPath, page.FormToken, new { productId = 2 }));

        (await added.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Type.Should().Be("/problems/session-required");
        first.Services.GetRequiredService<IDistributedCache>().Should().BeOfType<MemoryDistributedCache>("in memory, sessions stay in memory");
    }

    [Fact]
    public async Task Lesson_7_walked_across_two_instances_sees_one_cart_one_stale_view_and_one_order()
    {
        TestStore.SkipUnlessPostgres();
        await using var database = TestDatabase.Create();
        await using var first = Conflict409App.OnDatabase(database);
        await using var second = Conflict409App.OnDatabase(database);
        using var learner = new Learner(first, second);

        var page = await learner.OnFirst.ReadCartAsync();
        using var added = await learner.OnSecond.SendAsync(PostWithFormToken(AddItemPath, page.FormToken, new { productId = 2 }));
        using var stale = await learner.OnFirst.SendAsync(PostWithFormToken(ShopEndpoints.CheckoutPath, page.FormToken));
        var reloaded = await learner.OnSecond.ReadCartAsync();
        using var ordered = await learner.OnFirst.SendAsync(PostWithFormToken(ShopEndpoints.CheckoutPath, page.FormToken));
        using var afterOrder = await learner.OnSecond.SendAsync(PostWithFormToken(ShopEndpoints.CheckoutPath, page.FormToken));

        page.Revision.Should().Be(1);
        added.StatusCode.Should().Be(HttpStatusCode.Created);
        (await added.Content.ReadFromJsonAsync<CartItemAdded>())!.Revision.Should().Be(2);
        var problem = await stale.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        problem.Type.Should().Be("/problems/stale-session");
        problem.Title.Should().Be("The session's view of the cart is stale.");
        problem.Instance.Should().Be(ShopEndpoints.CheckoutPath);
        problem.Detail.Should().Be(
            "This session last showed the cart at revision 1 (1 item(s), 1.50); it is now at revision 2 (2 item(s), 4.50). " +
            "GET /shop/cart to see what you would buy, then check out again.");
        ((JsonElement)problem.Extensions["expected"]!).Deserialize<CartState>(JsonSerializerOptions.Web).Should().Be(new CartState(1, 1, 1.5m));
        ((JsonElement)problem.Extensions["current"]!).Deserialize<CartState>(JsonSerializerOptions.Web).Should().Be(new CartState(2, 2, 4.5m));
        reloaded.Revision.Should().Be(2);
        reloaded.Items.Select(item => item.Id).Should().Equal(1, 2);
        ordered.StatusCode.Should().Be(HttpStatusCode.OK);
        var order = await ordered.Content.ReadFromJsonAsync<Order>();
        order!.Items.Select(item => item.Id).Should().Equal(1, 2);
        order.Total.Should().Be(4.5m);
        (await afterOrder.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Detail.Should().Be(NoLiveSession, "the order closed the session on every instance");
    }

    [Fact]
    public async Task A_form_token_minted_on_one_instance_is_accepted_by_the_other_and_a_forged_one_by_neither()
    {
        TestStore.SkipUnlessPostgres();
        await using var database = TestDatabase.Create();
        await using var first = Conflict409App.OnDatabase(database);
        await using var second = Conflict409App.OnDatabase(database);
        using var learner = new Learner(first, second);
        var page = await learner.OnFirst.ReadCartAsync();

        using var forged = await learner.OnSecond.SendAsync(PostWithFormToken(ShopEndpoints.CheckoutPath, "CfDJ8" + page.FormToken[5..^4] + "AAAA"));
        using var checkout = await learner.OnSecond.SendAsync(PostWithFormToken(ShopEndpoints.CheckoutPath, page.FormToken));

        (await forged.ShouldBeProblemAsync(HttpStatusCode.Forbidden)).Type.Should().Be("/problems/form-token-invalid");
        checkout.StatusCode.Should().Be(HttpStatusCode.OK, "the second instance reads the token with the key ring the first one stored");
        second.Services.GetRequiredService<IDistributedCache>().Should().BeOfType<PostgresSessionCache>();
        (await CountAsync(database, """SELECT count(*) FROM "DataProtectionKeys" """)).Should().Be(1, "the second instance uses the first one's key");
    }

    [Fact]
    public async Task A_session_idle_past_its_timeout_on_one_instance_is_400_session_required_on_the_other()
    {
        TestStore.SkipUnlessPostgres();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var database = TestDatabase.Create();
        await using var first = Conflict409App.OnDatabase(database).WithServices(services => services.AddSingleton<TimeProvider>(clock));
        await using var second = Conflict409App.OnDatabase(database).WithServices(services => services.AddSingleton<TimeProvider>(clock));
        using var learner = new Learner(first, second);
        using var stayingLearner = new Learner(first, second);
        var page = await learner.OnFirst.ReadCartAsync();
        var stayingPage = await stayingLearner.OnFirst.ReadCartAsync();

        clock.Advance(TimeSpan.FromMinutes(15));
        using var keptAlive = await stayingLearner.OnSecond.SendAsync(PostWithFormToken(AddItemPath, stayingPage.FormToken, new { productId = 2 }));
        clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        using var expired = await learner.OnSecond.SendAsync(PostWithFormToken(AddItemPath, page.FormToken, new { productId = 2 }));
        using var stillLive = await stayingLearner.OnSecond.SendAsync(PostWithFormToken(ShopEndpoints.CheckoutPath, stayingPage.FormToken));

        keptAlive.StatusCode.Should().Be(HttpStatusCode.Created);
        var problem = await expired.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.Type.Should().Be("/problems/session-required");
        problem.Title.Should().Be("This step needs a live session.");
        problem.Detail.Should().Be(NoLiveSession);
        problem.Instance.Should().Be(AddItemPath);
        stillLive.StatusCode.Should().Be(HttpStatusCode.Conflict, "a request within Shop:SessionIdleTimeout (20 min) slid the expiry; the added item made the view stale");
    }

    [Fact]
    public async Task Expired_sessions_are_removed_by_later_writes_so_the_table_holds_only_live_ones()
    {
        TestStore.SkipUnlessPostgres();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var database = TestDatabase.Create();
        await using var app = Conflict409App.OnDatabase(database).WithServices(services => services.AddSingleton<TimeProvider>(clock));
        for (var i = 0; i < 12; i++)
        {
            using var client = app.CreateClient();
            await client.ReadCartAsync();
        }

        (await CountAsync(database, SessionRows)).Should().Be(12);
        clock.Advance(TimeSpan.FromMinutes(21));
        for (var i = 0; i < 2; i++)
        {
            using var client = app.CreateClient();
            await client.ReadCartAsync();
        }

        (await CountAsync(database, SessionRows)).Should().Be(2, "each write removes up to 8 expired rows, and 2 writes cover the 12 expired ones");
    }

    [Fact]
    public async Task Shop_SessionStoreBytes_bounds_the_sessions_of_all_instances_together()
    {
        TestStore.SkipUnlessPostgres();
        await using var database = TestDatabase.Create();
        // A new session (its id, its cart and the cart it showed, one widget each) is 46 bytes: one fits in 80, two do not.
        await using var first = Conflict409App.OnDatabase(database).WithSetting("Shop:SessionStoreBytes", "80");
        await using var second = Conflict409App.OnDatabase(database).WithSetting("Shop:SessionStoreBytes", "80");
        using var kept = new Learner(first, second);
        using var refused = new Learner(first, second);
        var keptPage = await kept.OnFirst.ReadCartAsync();
        var refusedPage = await refused.OnSecond.ReadCartAsync();

        using var refusedCheckout = await refused.OnSecond.SendAsync(PostWithFormToken(ShopEndpoints.CheckoutPath, refusedPage.FormToken));
        using var keptCheckout = await kept.OnSecond.SendAsync(PostWithFormToken(ShopEndpoints.CheckoutPath, keptPage.FormToken));

        (await refusedCheckout.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Detail.Should().Be(NoLiveSession, "the room was taken by a session on the other instance");
        keptCheckout.StatusCode.Should().Be(HttpStatusCode.OK);
        (await CountAsync(database, SessionRows)).Should().Be(1);
    }

    [Fact]
    public async Task A_shop_whose_database_cannot_be_reached_answers_503_database_unavailable_never_500()
    {
        // Nothing listens on port 1 of loopback: the connection is refused at once, no timeout to wait for.
        await using var app = Conflict409App.InMemory()
            .WithSetting("Store", "PostgreSql")
            .WithSetting("ConnectionStrings:Conflict409", "Host=127.0.0.1;Port=1;Username=nobody;Password=none;Database=none;Timeout=2");
        using var client = app.CreateClient();

        using var response = await client.SendAsync(ReadCart());

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable);
        problem.Type.Should().Be("/problems/database-unavailable");
        problem.Instance.Should().Be(ShopEndpoints.CartPath);
        response.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(5));
        response.Headers.Contains("Set-Cookie").Should().BeFalse("no session was kept, so no cookie names one");
    }

    private const string SessionRows = """SELECT count(*) FROM "SessionCache" """;

    private static async Task<long> CountAsync(TestDatabase database, string sql)
    {
        await using var session = await database.OpenSessionAsync();
        await using var command = new NpgsqlCommand(sql, session);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
