using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Conflict409.Api.Tests.Infrastructure;

public static class HttpAssertions
{
    public const string ProblemJson = "application/problem+json";

    /// <summary>Asserts status and media type, then returns the body as problem details.</summary>
    public static async Task<ProblemDetails> ShouldBeProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        response.StatusCode.Should().Be(status);
        response.Content.Headers.ContentType?.MediaType.Should().Be(ProblemJson);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
        problem.Should().NotBeNull();
        problem!.Status.Should().Be((int)status);
        problem.Title.Should().NotBeNullOrWhiteSpace();
        problem.Type.Should().NotBeNullOrWhiteSpace();
        problem.Extensions.Should().ContainKey("traceId");
        return problem;
    }

    public static async Task<HttpValidationProblemDetails> ShouldBeValidationProblemAsync(this HttpResponseMessage response)
    {
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType?.MediaType.Should().Be(ProblemJson);
        var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>();
        problem.Should().NotBeNull();
        problem!.Status.Should().Be(400);
        problem.Title.Should().Be("One or more validation errors occurred.");
        problem.Type.Should().Be("https://tools.ietf.org/html/rfc9110#section-15.5.1");
        return problem;
    }

    public static string ExtensionString(this ProblemDetails problem, string name) =>
        problem.Extensions[name].Should().BeOfType<System.Text.Json.JsonElement>().Subject.GetString()!;
}
