using System.Net.Http.Json;
using Conflict409.Api.Shop;

namespace Conflict409.Api.Tests.Infrastructure;

/// <summary>The requests the tests send, built once (<c>using static</c> them).</summary>
public static class Requests
{
    /// <summary>POST /register, with an Idempotency-Key sent exactly as given (quoted or not) when there is one.</summary>
    public static HttpRequestMessage Register(string username, string? idempotencyKey = null) =>
        WithHeader(new HttpRequestMessage(HttpMethod.Post, "/register") { Content = JsonContent.Create(new { username }) },
            "Idempotency-Key", idempotencyKey);

    /// <summary>PUT /users/{username}/profile, conditional on If-Match when one is given.</summary>
    public static HttpRequestMessage UpdateProfile(string username, object body, string? ifMatch = null) =>
        WithHeader(new HttpRequestMessage(HttpMethod.Put, $"/users/{username}/profile") { Content = JsonContent.Create(body) },
            "If-Match", ifMatch);

    /// <summary>The create-only PUT /users/{username}, with If-None-Match when one is given.</summary>
    public static HttpRequestMessage PutUser(string username, string? ifNoneMatch) =>
        WithHeader(new HttpRequestMessage(HttpMethod.Put, $"/users/{Uri.EscapeDataString(username)}"), "If-None-Match", ifNoneMatch);

    /// <summary>A POST to one of lesson 7's shop forms, with its form token when one is given.</summary>
    public static HttpRequestMessage PostWithFormToken(string path, string? formToken, object? body = null) =>
        WithHeader(new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) },
            ShopSetup.FormTokenHeader, formToken);

    /// <summary>Whether the response is a replay of an earlier one with the same Idempotency-Key.</summary>
    public static bool IsReplay(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Idempotent-Replayed", out var values) && values.Single() == "true";

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
