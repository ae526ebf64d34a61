using Conflict409.Api.Idempotency;
using Conflict409.Api.OpenApi;

namespace Conflict409.Api.Users;

/// <summary>The OpenAPI prose and examples of the registration endpoints.</summary>
public static partial class RegistrationEndpoints
{
    private const string RegisterDescription = $"""
        Creates an account for `username`. The classic 409 Conflict: the request is well-formed and
        understood, but it **conflicts with the current state** of the server, because an account with that
        name exists, or one that looks like it: `jane_smıth` with a dotless ı beside `jane_smith`, of type
        [/problems/username-look-alike](/problems/username-look-alike).

        **Username rules:** {UsernameRules.Description}

        The 409 body is a problem of type [/problems/username-taken](/problems/username-taken): follow the link
        for what it means.

        **How a client recovers from 409:** retrying the same request cannot succeed. Read the problem's
        `existingUsername`, then ask the user for another name (or, if this is a retry of your own earlier
        request, treat the account as created). Contrast: **400** means the input is malformed or breaks the
        username rules; **422** means well-formed but semantically invalid; **412** means a precondition
        header failed; **429** means slow down.

        **Retries (lesson 3):** send `Idempotency-Key: "k-1"`. {IdempotencyRules.Semantics}

        **Lesson 3 by hand:** {IdempotencyRules.Hold}
        """;

    private const string CreateUserIfAbsentDescription = $"""
        `If-None-Match: *` means "only if nothing is there yet". {UpdateRules.CreateOnly}
        """;

    private static RouteHandlerBuilder WithRegisterExamples(this RouteHandlerBuilder builder) =>
        builder
            .WithRequestExample(new RegisterRequest(DuplicateRegistrationLesson.Entry.ExampleOf("name")))
            .WithResponseExample(
                StatusCodes.Status201Created,
                new RegistrationResponse(RegistrationResponse.SuccessMessage, DuplicateRegistrationLesson.Entry.ExampleOf("name")))
            .WithProblemExample(TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["username"] = [$"The username must be {UsernameRules.MinLength} to {UsernameRules.MaxLength} characters long."],
            }))
            .WithProblemExample(UserProblems.UsernameTaken("John_Doe", "john_doe"))
            .WithProblemExample(UserProblems.StoreFull());
}
