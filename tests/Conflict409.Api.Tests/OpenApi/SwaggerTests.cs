using System.Net;
using System.Text.Json;
using Conflict409.Api.Lessons;
using Conflict409.Api.Problems;
using Conflict409.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Conflict409.Api.Tests.OpenApi;

public sealed class SwaggerTests
{
    private static async Task<JsonElement> ReadOpenApiDocumentAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/swagger/v1/swagger.json");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    [Fact]
    public async Task The_document_declares_the_licence_the_readme_grants_and_lists_every_lesson_from_the_catalogue()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        var info = (await ReadOpenApiDocumentAsync(client)).GetProperty("info");

        info.GetProperty("license").GetProperty("name").GetString().Should().Be("MIT");
        var readme = await File.ReadAllTextAsync(RepositoryFiles.Find("README.md"), TestContext.Current.CancellationToken);
        readme[readme.IndexOf("\n## Licence\n", StringComparison.Ordinal)..].Should()
            .Contain("MIT License").And.Contain("Permission is hereby granted, free of charge");
        var description = info.GetProperty("description").GetString()!;
        var positions = LessonCatalog.All.Select(lesson => description.IndexOf($"[{lesson.Title}](#/", StringComparison.Ordinal)).ToArray();
        positions.Should().NotContain(-1).And.BeInAscendingOrder();
    }

    [Theory]
    [InlineData("201", "application/json")]
    [InlineData("400", "application/problem+json")]
    [InlineData("409", "application/problem+json")]
    [InlineData("413", "application/problem+json")]
    [InlineData("415", "application/problem+json")]
    [InlineData("422", "application/problem+json")]
    [InlineData("503", "application/problem+json")]
    [InlineData("507", "application/problem+json")]
    public async Task Register_documents_each_response_with_its_media_type_schema_and_example(string status, string mediaType)
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        var document = await ReadOpenApiDocumentAsync(client);

        var register = document.GetProperty("paths").GetProperty("/register").GetProperty("post");
        var content = register.GetProperty("responses").GetProperty(status).GetProperty("content");
        content.EnumerateObject().Select(property => property.Name).Should().Equal(mediaType);
        var media = content.GetProperty(mediaType);
        media.GetProperty("schema").GetProperty("$ref").GetString().Should().NotBeNullOrEmpty();
        media.GetProperty("example").ValueKind.Should().Be(JsonValueKind.Object);
    }

    [Fact]
    public async Task Each_fetch_of_the_document_hands_out_fresh_example_names_that_belong_together()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        string[] TeamExample(JsonElement document)
        {
            var example = document.GetProperty("paths").GetProperty("/teams").GetProperty("post").GetProperty("requestBody")
                .GetProperty("content").GetProperty("application/json").GetProperty("example");
            return [example.GetProperty("name").GetString()!, example.GetProperty("owner").GetString()!,
                example.GetProperty("members")[0].GetString()!];
        }

        var first = TeamExample(await ReadOpenApiDocumentAsync(client));
        var second = TeamExample(await ReadOpenApiDocumentAsync(client));

        // Two learners copying the example never create the same team or reference the same users.
        first.Should().SatisfyRespectively(
            team => team.Should().MatchRegex("^team_[0-9a-f]{8}$"),
            owner => owner.Should().Be("owner_" + first[0]["team_".Length..]),
            member => member.Should().Be("member_" + first[0]["team_".Length..]));
        second.Should().NotIntersectWith(first);
    }

    [Fact]
    public async Task Register_documents_exactly_its_statuses_a_request_example_and_how_to_recover()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        var register = (await ReadOpenApiDocumentAsync(client)).GetProperty("paths").GetProperty("/register").GetProperty("post");

        register.GetProperty("responses").EnumerateObject().Select(property => property.Name)
            .Should().BeEquivalentTo("201", "400", "409", "413", "415", "422", "429", "503", "507");
        register.GetProperty("requestBody").GetProperty("content").GetProperty("application/json")
            .GetProperty("example").GetProperty("username").GetString().Should().MatchRegex("^new_[0-9a-f]{8}$");
        register.GetProperty("description").GetString().Should().Contain("How a client recovers from 409");
        var conflictExample = register.GetProperty("responses").GetProperty("409").GetProperty("content")
            .GetProperty("application/problem+json").GetProperty("example");
        conflictExample.GetProperty("type").GetString().Should().Be("/problems/username-taken");
        conflictExample.GetProperty("title").GetString().Should().Be("Username already exists.");
        var idempotencyKey = register.GetProperty("parameters").EnumerateArray()
            .Single(parameter => parameter.GetProperty("name").GetString() == "Idempotency-Key");
        idempotencyKey.GetProperty("in").GetString().Should().Be("header");
        (idempotencyKey.TryGetProperty("required", out var required) && required.GetBoolean()).Should().BeFalse();
    }

    [Fact]
    public async Task Every_operation_that_reads_a_body_documents_the_frameworks_413_and_415_problems_with_its_own_path()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        var paths = (await ReadOpenApiDocumentAsync(client)).GetProperty("paths").EnumerateObject().ToArray();
        var withBody = paths
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => (Path: path.Name, Operation: operation.Value)))
            .Where(entry => entry.Operation.TryGetProperty("requestBody", out _))
            .ToArray();

        withBody.Should().NotBeEmpty();
        foreach (var (path, operation) in withBody)
        {
            foreach (var (status, type) in new[] { ("413", ProblemTypes.PayloadTooLarge.Uri), ("415", ProblemTypes.UnsupportedMediaType.Uri) })
            {
                var example = operation.GetProperty("responses").GetProperty(status).GetProperty("content")
                    .GetProperty("application/problem+json").GetProperty("example");
                example.GetProperty("type").GetString().Should().Be(type);
                example.GetProperty("instance").GetString().Should().Be(path);
            }
        }
    }

    [Fact]
    public async Task The_document_names_its_server_contact_and_licence_and_every_operation_has_a_summary_and_a_description()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        var document = await ReadOpenApiDocumentAsync(client);
        // .ci/run lints this very document with Spectral's recommended ruleset.
        if (Environment.GetEnvironmentVariable("CONFLICT409_ARTIFACTS") is { Length: > 0 } artifacts)
        {
            Directory.CreateDirectory(artifacts);
            await File.WriteAllTextAsync(Path.Combine(artifacts, "swagger.json"), document.GetRawText());
        }

        document.GetProperty("servers").EnumerateArray().Should().ContainSingle()
            .Which.GetProperty("url").GetString().Should().Be("/");
        document.GetProperty("info").GetProperty("contact").GetProperty("name").GetString().Should().NotBeNullOrWhiteSpace();
        document.GetProperty("info").GetProperty("license").GetProperty("name").GetString().Should().NotBeNullOrWhiteSpace();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                foreach (var member in new[] { "summary", "description" })
                {
                    (operation.Value.TryGetProperty(member, out var text) ? text.GetString() : null)
                        .Should().NotBeNullOrWhiteSpace("{0} {1} needs a {2}", operation.Name, path.Name, member);
                }
            }
        }
    }

    [Fact]
    public async Task User_lookup_documents_its_404_problem()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        var getUser = (await ReadOpenApiDocumentAsync(client)).GetProperty("paths").GetProperty("/users/{username}").GetProperty("get");

        getUser.GetProperty("responses").GetProperty("404").GetProperty("content")
            .TryGetProperty("application/problem+json", out _).Should().BeTrue();
    }

    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public async Task Swagger_ui_is_served_as_html_in_every_environment(string environment)
    {
        await using var app = new Conflict409App(environment);
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/swagger/index.html");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType?.MediaType.Should().Be("text/html");
        (await response.Content.ReadAsStringAsync()).Should().Contain("swagger-ui");
    }

    [Fact]
    public async Task The_root_redirects_to_swagger_ui()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await client.GetAsync("/");

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location.Should().Be(new Uri("/swagger", UriKind.Relative));
    }

    [Fact]
    public async Task Health_check_answers_200()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/healthz");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("Healthy");
    }
}
