using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace Conflict409.Api.Problems;

public static class ProblemDetailsSetup
{
    public const string PayloadTooLargeDetail = "The request body is larger than this server accepts.";
    /// <summary>The built-in validation's title, kept for every problem that names a value's member in <c>errors</c>.</summary>
    public const string ValidationTitle = "One or more validation errors occurred.";
    public const string UnsupportedMediaTypeDetail = "Send the request body as JSON with 'Content-Type: application/json'.";

    /// <summary>
    /// Every error this server sends is RFC 9457 problem+json: handler results, validation failures,
    /// requests the framework rejects before a handler runs, unknown routes, and unexpected exceptions.
    /// </summary>
    public static IServiceCollection AddConflictProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = Customize);

        // Out of the box Development throws on a bad request body while Production answers an empty 400.
        // Throwing everywhere sends both environments through the one exception handler below.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        return services;
    }

    public static WebApplication UseConflictProblemDetails(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // A BadHttpRequestException carries the status the framework chose (400, 413, 415): keep it.
            StatusCodeSelector = exception => exception is BadHttpRequestException badRequest
                ? badRequest.StatusCode
                : StatusCodes.Status500InternalServerError,
            // A client's malformed body is not a server error worth an error log entry.
            SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException,
        });
        app.UseStatusCodePages();
        return app;
    }

    private static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        problem.Instance ??= context.HttpContext.Request.Path;
        switch (problem.Status)
        {
            case StatusCodes.Status413PayloadTooLarge:
                problem.Type = ProblemTypes.PayloadTooLarge.Uri;
                problem.Detail ??= PayloadTooLargeDetail;
                break;
            case StatusCodes.Status415UnsupportedMediaType:
                problem.Detail ??= UnsupportedMediaTypeDetail;
                break;
            case StatusCodes.Status400BadRequest when context.Exception is BadHttpRequestException badRequest:
                DescribeBadRequest(problem, badRequest, context.HttpContext);
                break;
        }

        if (problem is HttpValidationProblemDetails validation)
        {
            UseJsonMemberNames(validation);
        }

        problem.Title ??= ReasonPhrases.GetReasonPhrase(problem.Status ?? StatusCodes.Status500InternalServerError);
    }

    private static void DescribeBadRequest(ProblemDetails problem, BadHttpRequestException badRequest, HttpContext context)
    {
        // A query, route or header value of the wrong form: nothing to do with a body (a GET has none).
        if (ParameterBindingFailure.From(badRequest, context) is { } binding)
        {
            problem.Title = ValidationTitle;
            problem.Detail = binding.Detail;
            problem.Extensions["errors"] = new Dictionary<string, string[]> { [binding.Name] = [binding.Error] };
            return;
        }

        switch (badRequest.InnerException)
        {
            // The reader failed: the bytes are not JSON at all.
            case JsonException { InnerException: JsonException } syntax:
                problem.Detail = $"The request body is not valid JSON (line {syntax.LineNumber + 1}, " +
                    $"byte {syntax.BytePositionInLine + 1}).";
                break;
            // {"username":"a","username":"b"} (AllowDuplicateProperties is off): System.Text.Json says so only in its
            // message, and its path names the second occurrence. Checked before the wrong-type case, which has a path too.
            case JsonException { Path: { } path } duplicate
                when duplicate.Message.StartsWith("Duplicate propert", StringComparison.OrdinalIgnoreCase):
                problem.Detail = $"The request body has the duplicate key '{MemberOf(path)}' (keys are matched ignoring " +
                    "case): send each member once, so that the server need not guess which value you meant.";
                break;
            // The JSON is fine but a member has a type the request does not accept, e.g. "username": 42.
            case JsonException { Path: { Length: > 2 } path } when path.StartsWith("$.", StringComparison.Ordinal):
                var member = MemberOf(path);
                problem.Title = ValidationTitle;
                problem.Detail = $"'{member}' has the wrong JSON type.";
                problem.Extensions["errors"] = new Dictionary<string, string[]>
                {
                    [member] = [$"'{member}' must be a JSON value of the type the schema shows."],
                };
                break;
            case JsonException:
                problem.Detail = "The request body must be a JSON object.";
                break;
            default:
                problem.Detail = "The request body is missing or cannot be read as this endpoint's JSON object.";
                break;
        }
    }

    /// <summary>The member a JSON path such as <c>$.username</c> ends at, as the request spelled it.</summary>
    private static string MemberOf(string path) => path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;

    /// <summary>
    /// The built-in validation keys errors by C# member name ("Username"); clients see JSON names
    /// ("username"). Until dotnet/aspnetcore#61764 lands, rename the keys with the same camelCase policy
    /// the JSON bodies use.
    /// </summary>
    private static void UseJsonMemberNames(HttpValidationProblemDetails validation) =>
        validation.Errors = validation.Errors.ToDictionary(
            pair => string.Join('.', pair.Key.Split('.').Select(JsonNamingPolicy.CamelCase.ConvertName)),
            pair => pair.Value);
}
