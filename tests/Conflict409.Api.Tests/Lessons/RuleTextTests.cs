using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Conflict409.Api.Idempotency;
using Conflict409.Api.Lessons;
using Conflict409.Api.Problems;
using Conflict409.Api.Tests.Infrastructure;
using Conflict409.Api.Users;

namespace Conflict409.Api.Tests.Lessons;

/// <summary>
/// Each rule is written once in code (<see cref="UsernameRules"/>, <see cref="IdempotencyRules"/>,
/// <see cref="UpdateRules"/>); the copies a reader meets elsewhere must say the same, word for word.
/// </summary>
public sealed partial class RuleTextTests
{
    private const string UsersWalkThrough = "src/Conflict409.Api/Users/README.md";
    private const string IdempotencyWalkThrough = "src/Conflict409.Api/Idempotency/README.md";

    /// <summary>
    /// Each rule with the document that quotes it (a lesson's walk-through by hand, linked from the README) and the
    /// heading of the paragraph that does.
    /// </summary>
    public static TheoryData<string, string, string> Rules => new()
    {
        { UsersWalkThrough, "Username rules", UsernameRules.Description },
        { IdempotencyWalkThrough, "Idempotency-Key", IdempotencyRules.Semantics },
        { IdempotencyWalkThrough, "Idempotency-Key format", IdempotencyRules.KeyFormat },
        { UsersWalkThrough, "409, 412 or 428 (lesson 1)", UpdateRules.Preconditions },
        { UsersWalkThrough, "Create-only PUT (lesson 1)", UpdateRules.CreateOnly },
        { IdempotencyWalkThrough, "Lesson 3 by hand", IdempotencyRules.Hold },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public async Task The_documents_quote_each_rule_word_for_word(string document, string heading, string text)
    {
        var quoting = await ReadDocumentAsync(document);

        Collapse(quoting).Should().Contain($"**{heading}:** {Collapse(text)}");
    }

    [Fact]
    public async Task The_lessons_and_the_openapi_document_state_each_rule_from_its_one_source()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        var lessons = (await client.GetFromJsonAsync<Lesson[]>("/lessons", TestContext.Current.CancellationToken))!.ToDictionary(lesson => lesson.Id);
        lessons["duplicate-registration"].Explanation.Should().Contain(UsernameRules.Description);
        lessons["versioning"].Explanation.Should().Contain(UpdateRules.Preconditions);
        lessons["idempotency-key"].Explanation.Should().Contain(IdempotencyRules.Semantics).And.Contain(IdempotencyRules.KeyFormat);
        lessons["versioning"].Explanation.Should().Contain(UpdateRules.CreateOnly);
        IdempotencyProblemTypes.InvalidIdempotencyKey.Explanation.Should().Be(IdempotencyRules.KeyFormat);

        using var document = JsonDocument.Parse(await client.GetStringAsync("/swagger/v1/swagger.json", TestContext.Current.CancellationToken));
        var paths = document.RootElement.GetProperty("paths");
        var register = paths.GetProperty("/register").GetProperty("post");
        register.GetProperty("description").GetString().Should().Contain(UsernameRules.Description).And.Contain(IdempotencyRules.Semantics);
        register.GetProperty("description").GetString().Should().Contain(IdempotencyRules.Hold);
        register.GetProperty("parameters").EnumerateArray()
            .Single(parameter => parameter.GetProperty("name").GetString() == IdempotencyKey.HeaderName)
            .GetProperty("description").GetString().Should().Contain(IdempotencyRules.Semantics).And.Contain(IdempotencyRules.KeyFormat);
        var hold = register.GetProperty("parameters").EnumerateArray()
            .Single(parameter => parameter.GetProperty("name").GetString() == IdempotencyHold.QueryName);
        hold.GetProperty("in").GetString().Should().Be("query");
        hold.GetProperty("description").GetString().Should().Contain(IdempotencyRules.Hold);
        hold.GetProperty("schema").GetProperty("maximum").GetInt32().Should().Be(IdempotencyHold.MaxMs);
        paths.GetProperty("/users/{username}").GetProperty("put").GetProperty("description").GetString()
            .Should().Contain(UpdateRules.CreateOnly);
        paths.GetProperty("/users/{username}/profile").GetProperty("put").GetProperty("description").GetString()
            .Should().Contain(UpdateRules.Preconditions);
        document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("RegisterRequest")
            .GetProperty("properties").GetProperty("username").GetProperty("description").GetString()
            .Should().Be(UsernameRules.Description);
    }

    [Fact]
    public void The_username_rules_state_the_lengths_the_validator_enforces()
    {
        UsernameRules.Description.Should().StartWith($"{UsernameRules.MinLength} to {UsernameRules.MaxLength} characters");
        UsernameRules.FindViolation(new string('a', UsernameRules.MinLength - 1)).Should().NotBeNull();
        UsernameRules.FindViolation(new string('a', UsernameRules.MaxLength + 1)).Should().NotBeNull();
        UsernameRules.FindViolation(new string('a', UsernameRules.MaxLength)).Should().BeNull();
    }

    [Fact]
    public void The_idempotency_key_format_states_the_length_the_parser_enforces()
    {
        IdempotencyRules.KeyFormat.Should().Contain($"1 to {IdempotencyKey.MaxLength} printable ASCII characters");
    }

    [Fact]
    public void The_hold_rule_states_the_bound_the_filter_enforces()
    {
        IdempotencyRules.Hold.Should().Contain($"?holdMs={IdempotencyHold.MaxMs} (0 to {IdempotencyHold.MaxMs})");
        IdempotencyHold.RangeError.Should().EndWith($"from 0 to {IdempotencyHold.MaxMs}.");
    }

    [Fact]
    public async Task The_server_reference_lists_exactly_the_error_statuses_the_problem_types_have()
    {
        var reference = await ReadDocumentAsync("src/Conflict409.Api/README.md");
        var statuses = ProblemCatalog.All.Select(type => type.Status).Distinct().Order();

        Collapse(reference).Should().Contain($"Every error status ({string.Join(", ", statuses)}) has");
    }

    private static Task<string> ReadDocumentAsync(string document) =>
        File.ReadAllTextAsync(RepositoryFiles.Find(document.Split('/')), TestContext.Current.CancellationToken);

    private static string Collapse(string text) => Whitespace().Replace(text, " ");

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
