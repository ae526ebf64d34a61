using System.Net.Http.Json;
using System.Text;
using Conflict409.Api.Races;
using Conflict409.Api.Shop;

namespace Conflict409.Api.Tests.Infrastructure;

/// <summary>The requests the tests send, built once (<c>using static</c> them).</summary>
public static class Requests
{
    /// <summary>POST /register, with an Idempotency-Key sent exactly as given (quoted or not) when there is one.</summary>
    public static HttpRequestMessage Register(string username, string? idempotencyKey = null) =>
        WithHeader(new HttpRequestMessage(HttpMethod.Post, "/register") { Content = JsonContent.Create(new { username }) },
            "Idempotency-Key", idempotencyKey);

    /// <summary>POST /register?holdMs=…: lesson 3 by hand, the key held in flight that long before the registration.</summary>
    public static HttpRequestMessage HeldRegister(string username, string? idempotencyKey, string holdMs) =>
        WithHeader(new HttpRequestMessage(HttpMethod.Post, $"/register?holdMs={holdMs}") { Content = JsonContent.Create(new { username }) },
            "Idempotency-Key", idempotencyKey);

    /// <summary>PUT /users/{username}/profile, conditional on If-Match when one is given.</summary>
    public static HttpRequestMessage UpdateProfile(string username, object body, string? ifMatch = null) =>
        WithHeader(new HttpRequestMessage(HttpMethod.Put, $"/users/{username}/profile") { Content = JsonContent.Create(body) },
            "If-Match", ifMatch);

    /// <summary>The create-only PUT /users/{username}, with If-None-Match when one is given.</summary>
    public static HttpRequestMessage PutUser(string username, string? ifNoneMatch) =>
        WithHeader(new HttpRequestMessage(HttpMethod.Put, $"/users/{Uri.EscapeDataString(username)}"), "If-None-Match", ifNoneMatch);

    /// <summary>POST /teams: a team owned by <paramref name="owner"/> that lists <paramref name="members"/>.</summary>
    public static HttpRequestMessage CreateTeam(string name, string owner, params string[] members) =>
        new(HttpMethod.Post, "/teams") { Content = JsonContent.Create(new { name, owner, members }) };

    /// <summary>GET /shop/cart: lesson 7's page, which starts a session and hands out a form token.</summary>
    public static HttpRequestMessage ReadCart() => new(HttpMethod.Get, ShopEndpoints.CartPath);

    /// <summary>A POST to one of lesson 7's shop forms, with its form token when one is given.</summary>
    public static HttpRequestMessage PostWithFormToken(string path, string? formToken, object? body = null) =>
        WithHeader(new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) },
            ShopSetup.FormTokenHeader, formToken);

    /// <summary>POST /lab/races: lesson 6's plan for a burst of <paramref name="racers"/>.</summary>
    public static HttpRequestMessage PlanRace(int racers, int thinkTimeMs) =>
        new(HttpMethod.Post, "/lab/races") { Content = JsonContent.Create(new { racers, thinkTimeMs }) };

    /// <summary>POST /naive/register, the check-then-act endpoint, waiting <paramref name="thinkTimeMs"/> between check and add.</summary>
    public static HttpRequestMessage RegisterNaively(string username, int thinkTimeMs) =>
        NaiveRegistration($"{RaceEndpoints.NaiveRegisterPath}?thinkTimeMs={thinkTimeMs}", username);

    /// <summary>The naive registration a race plan tells each racer to send, at the path it names.</summary>
    public static HttpRequestMessage RegisterNaively(RacePlan plan) => NaiveRegistration(plan.NaivePath, plan.Username);

    /// <summary>Whether the response is a replay of an earlier one with the same Idempotency-Key.</summary>
    public static bool IsReplay(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Idempotent-Replayed", out var values) && values.Single() == "true";

    public static Task<HttpResponseMessage> RegisterAsync(this HttpClient client, string username) =>
        client.SendAsync(Register(username));

    /// <summary>Reads the cart page, failing on anything but a success status.</summary>
    public static async Task<CartPage> ReadCartAsync(this HttpClient client)
    {
        using var response = await client.SendAsync(ReadCart());
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<CartPage>())!;
    }

    /// <summary>POSTs <paramref name="json"/> exactly as written: for the bodies a builder would never produce.</summary>
    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, string json) =>
        client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    private static HttpRequestMessage NaiveRegistration(string path, string username) =>
        new(HttpMethod.Post, path) { Content = JsonContent.Create(new { username }) };

    // Without validation: the tests send malformed headers on purpose.
    private static HttpRequestMessage WithHeader(HttpRequestMessage request, string name, string? value)
    {
        if (value is not null)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }
}
