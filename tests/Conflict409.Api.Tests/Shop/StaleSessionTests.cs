using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Conflict409.Api.Shop;
using Conflict409.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using static Conflict409.Api.Tests.Infrastructure.Requests;

namespace Conflict409.Api.Tests.Shop;

/// <summary>Lesson 7: a checkout from a session whose view went stale is a 409; no session or no token is not.</summary>
public sealed class StaleSessionTests
{
    private static JsonElement Extension(Microsoft.AspNetCore.Mvc.ProblemDetails problem, string name) =>
        problem.Extensions[name].Should().BeOfType<JsonElement>().Subject;

    [Fact]
    public async Task A_checkout_after_another_tab_changed_the_cart_is_409_until_the_page_is_read_again()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();
        var page = await client.ReadCartAsync();
        using var added = await client.SendAsync(PostWithFormToken("/shop/cart/items", page.FormToken, new { productId = 2 }));

        using var stale = await client.SendAsync(PostWithFormToken(ShopEndpoints.CheckoutPath, page.FormToken));
        using var staleAgain = await client.SendAsync(PostWithFormToken(ShopEndpoints.CheckoutPath, page.FormToken));
        var refreshed = await client.ReadCartAsync();
        using var ordered = await client.SendAsync(PostWithFormToken(ShopEndpoints.CheckoutPath, page.FormToken));

        page.Revision.Should().Be(1);
        page.Items.Select(item => item.Id).Should().Equal(1);
        added.StatusCode.Should().Be(HttpStatusCode.Created);
        (await added.Content.ReadFromJsonAsync<CartItemAdded>())!.Revision.Should().Be(2);
        var problem = await stale.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        problem.Type.Should().Be("/problems/stale-session");
        problem.Title.Should().Be("The session's view of the cart is stale.");
        problem.Detail.Should().Be(
            "This session last showed the cart at revision 1 (1 item(s), 1.50); it is now at revision 2 (2 item(s), 4.50). " +
            "GET /shop/cart to see what you would buy, then check out again.");
        problem.Instance.Should().Be("/shop/checkout");
        Extension(problem, "expected").Deserialize<CartState>(JsonSerializerOptions.Web).Should().Be(new CartState(1, 1, 1.5m));
        Extension(problem, "current").Deserialize<CartState>(JsonSerializerOptions.Web).Should().Be(new CartState(2, 2, 4.5m));
        staleAgain.StatusCode.Should().Be(HttpStatusCode.Conflict, "retrying the stale submission unchanged cannot succeed");
        refreshed.Revision.Should().Be(2);
        ordered.StatusCode.Should().Be(HttpStatusCode.OK);
        var order = await ordered.Content.ReadFromJsonAsync<Order>();
        order!.Items.Select(item => item.Id).Should().Equal(1, 2);
        order.Total.Should().Be(4.5m);
    }

    [Fact]
    public async Task A_checkout_without_a_session_cookie_is_400_session_required()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });

        using var response = await client.SendAsync(PostWithFormToken(ShopEndpoints.CheckoutPath, "any-token"));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.Type.Should().Be("/problems/session-required");
        problem.Title.Should().Be("This step needs a live session.");
        problem.Detail.Should().Be("The request carries no session cookie. GET /shop/cart starts a session; send its cookies back (curl -c jar -b jar).");
        problem.Instance.Should().Be("/shop/checkout");
    }

    [Fact]
    public async Task A_session_cookie_that_names_no_live_session_is_400_and_so_is_a_session_whose_order_was_placed()
    {
        await using var app = new Conflict409App();
        using var forger = app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        using var forged = new HttpRequestMessage(HttpMethod.Post, "/shop/cart/items") { Content = JsonContent.Create(new { productId = 2 }) };
        forged.Headers.Add("Cookie", $"{ShopSetup.SessionCookieName}=CfDJ8forged");
        using var client = app.CreateClient();
        var page = await client.ReadCartAsync();
        (await client.SendAsync(PostWithFormToken(ShopEndpoints.CheckoutPath, page.FormToken))).StatusCode.Should().Be(HttpStatusCode.OK);

        using var forgedResponse = await forger.SendAsync(forged);
        using var afterOrder = await client.SendAsync(PostWithFormToken(ShopEndpoints.CheckoutPath, page.FormToken));

        const string detail = "The session cookie names no live session: it expired, was evicted, was forged, or its order was placed. GET /shop/cart starts a new one.";
        (await forgedResponse.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Detail.Should().Be(detail);
        (await afterOrder.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Detail.Should().Be(detail);
        (await client.ReadCartAsync()).Items.Select(item => item.Id).Should().Equal([1], "the next read starts a new cart");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("forged-token")]
    [InlineData("CfDJ8AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task A_missing_or_forged_form_token_is_403_and_changes_nothing(string? token)
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();
        await client.ReadCartAsync();

        using var add = await client.SendAsync(PostWithFormToken("/shop/cart/items", token, new { productId = 3 }));
        using var checkout = await client.SendAsync(PostWithFormToken(ShopEndpoints.CheckoutPath, token));

        var problem = await checkout.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        problem.Type.Should().Be("/problems/form-token-invalid");
        problem.Title.Should().Be("The form token is missing or invalid.");
        problem.Instance.Should().Be("/shop/checkout");
        (await add.ShouldBeProblemAsync(HttpStatusCode.Forbidden)).Type.Should().Be("/problems/form-token-invalid");
        (await client.ReadCartAsync()).Revision.Should().Be(1, "nothing was added");
    }

    [Fact]
    public async Task Another_clients_form_token_does_not_pass_with_this_clients_cookies()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();
        using var other = app.CreateClient();
        await client.ReadCartAsync();
        var othersToken = (await other.ReadCartAsync()).FormToken;

        using var response = await client.SendAsync(PostWithFormToken(ShopEndpoints.CheckoutPath, othersToken));

        (await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden)).Type.Should().Be("/problems/form-token-invalid");
    }

    [Fact]
    public async Task The_session_and_antiforgery_cookies_are_HttpOnly_and_SameSite()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });

        using var response = await client.SendAsync(ReadCart());

        var cookies = response.Headers.GetValues("Set-Cookie").ToArray();
        cookies.Should().ContainSingle(cookie => cookie.StartsWith(ShopSetup.SessionCookieName + "=", StringComparison.Ordinal))
            .Which.Should().Contain("httponly").And.Contain("samesite=lax");
        cookies.Should().ContainSingle(cookie => cookie.StartsWith(ShopSetup.AntiforgeryCookieName + "=", StringComparison.Ordinal))
            .Which.Should().Contain("httponly").And.Contain("samesite=strict");
    }

    [Fact]
    public async Task Only_the_shop_keeps_a_session()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });

        using var response = await client.GetAsync("/lessons");

        response.Headers.Contains("Set-Cookie").Should().BeFalse();
    }

    [Fact]
    public async Task A_cart_holds_at_most_ten_items_then_507()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();
        var token = (await client.ReadCartAsync()).FormToken;
        for (var item = 2; item <= ShopOptions.MaxCartItems; item++)
        {
            (await client.SendAsync(PostWithFormToken("/shop/cart/items", token, new { productId = item }))).StatusCode.Should().Be(HttpStatusCode.Created);
        }

        using var full = await client.SendAsync(PostWithFormToken("/shop/cart/items", token, new { productId = 11 }));

        var problem = await full.ShouldBeProblemAsync(HttpStatusCode.InsufficientStorage);
        problem.Type.Should().Be("/problems/store-full");
        problem.Detail.Should().Be("A cart holds at most 10 items. Check out first.");
    }

    [Fact]
    public async Task A_session_store_without_room_keeps_no_session_and_answers_400_never_5xx()
    {
        await using var app = new Conflict409App().WithSetting("Shop:SessionStoreBytes", "1");
        using var client = app.CreateClient();
        var page = await client.ReadCartAsync();

        using var response = await client.SendAsync(PostWithFormToken(ShopEndpoints.CheckoutPath, page.FormToken));

        (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Type.Should().Be("/problems/session-required");
    }

    [Theory]
    [InlineData("""{ "productId": 0 }""")]
    [InlineData("""{ "productId": 51 }""")]
    [InlineData("""{ "productId": "two" }""")]
    [InlineData("""{ "productId": """)]
    public async Task An_unknown_or_malformed_product_is_a_400(string json)
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();
        var token = (await client.ReadCartAsync()).FormToken;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/shop/cart/items")
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
            Headers = { { ShopSetup.FormTokenHeader, token } },
        };

        using var response = await client.SendAsync(request);

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }
}
