using System.ComponentModel.DataAnnotations;
using Conflict409.Api.Clients;
using Conflict409.Api.Hosting;
using Conflict409.Api.OpenApi;
using Conflict409.Api.Problems;
using Conflict409.Api.Users;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Conflict409.Api.Races;

/// <summary>
/// Lesson 6: the article's check-then-act registration, live next to the atomic one.
/// For the progress board: a client has "run the race" when, for one name, its POST /naive/register requests
/// overlapped between check and add (the naive list holds the name at least twice: a 201's "copies" ≥ 2, or
/// GET /lab/races/{username} "naiveCopies" ≥ 2) and it sent the same burst to POST /register, which answered
/// exactly one 201 for that name. Endpoint names (RegisterNaively, PlanRace, GetRaceOutcome, ClearNaiveNames) are stable.
/// </summary>
public static class RaceEndpoints
{
    public const string LabPath = "/lab";
    public const string NaiveRegisterPath = "/naive/register";

    public static IServiceCollection AddRaceLab(this IServiceCollection services)
    {
        services.AddValidatedOptions<RaceLabOptions>(RaceLabOptions.SectionName);
        return services;
    }

    public static IEndpointRouteBuilder MapRaceEndpoints(this IEndpointRouteBuilder app)
    {
        var lesson = app.MapGroup("");

        lesson.MapPost(NaiveRegisterPath, RegisterNaively)
            .WithName(nameof(RegisterNaively))
            .WithSummary("DELIBERATELY WRONG, do not copy: check, think, then add — simultaneous registrations all get 201")
            .WithDescription(RaceDescriptions.RegisterNaively)
            .Accepts<RegisterRequest>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status507InsufficientStorage)
            .WithRequestExample(new RegisterRequest("race_3f9a1c2b"))
            .WithResponseExample(StatusCodes.Status201Created, new NaiveRegistrationResponse(NaiveRegistrationResponse.WarningMessage, "race_3f9a1c2b", 3))
            .WithProblemExample(UserProblems.UsernameTaken("race_3f9a1c2b", "race_3f9a1c2b"), NaiveRegisterPath)
            .WithProblemExample(NaiveListFull(), NaiveRegisterPath)
            .WithProblemExample(NaiveListsFull(), NaiveRegisterPath);

        lesson.MapDelete("/naive/names", ClearNaiveNames)
            .WithName(nameof(ClearNaiveNames))
            .WithSummary("Empty your naive name list (never another client's, never the real users)")
            .WithDescription("Starts your race lab afresh: your naive list forgets every name, so a new race begins from nothing. Every client has a list of its own, so other learners' races are untouched, and so is the real store.");

        lesson.MapPost("/lab/races", PlanRace)
            .WithName(nameof(PlanRace))
            .WithSummary("Plan a race: a fresh username and where to send the two bursts")
            .WithDescription(RaceDescriptions.PlanRace)
            .Accepts<RacePlanRequest>("application/json")
            .ProducesValidationProblem()
            .WithRequestExample(new RacePlanRequest(100));

        lesson.MapGet("/lab/races/{username}", GetRaceOutcome)
            .WithName(nameof(GetRaceOutcome))
            .WithSummary("What each store holds for a raced name: the naive list several copies, the real store one user")
            .WithDescription("After a race, compares the two stores for one name: how many copies your check-then-act list holds (often several) against the atomic store's single user.");

        app.MapGet(LabPath, () => TypedResults.Redirect(LabPath + "/index.html")).ExcludeFromDescription();
        return app;
    }

    public static async Task<Results<Created<NaiveRegistrationResponse>, ProblemHttpResult>> RegisterNaively(
        RegisterRequest request,
        HttpContext context,
        INaiveNameStore names,
        IOptions<RaceLabOptions> options,
        TimeProvider timeProvider,
        CancellationToken cancellationToken,
        [Range(0, RaceLabOptions.MaxThinkTimeMs)] int? thinkTimeMs = null)
    {
        var client = ClientAddress.Of(context);
        var key = UsernameKey.From(request.Username);

        // Step 1, the check (the article: users.find(...)).
        var check = await names.CheckNaivelyAsync(client, key, cancellationToken);
        switch (check.Outcome)
        {
            case NaiveCheckOutcome.NoRoomForList:
                return NaiveListsFull();
            case NaiveCheckOutcome.Present:
                return UserProblems.UsernameTaken(request.Username, check.Existing!);
        }

        // The database round trip between check and write: every request that arrives meanwhile passes the same check.
        var thinkTime = TimeSpan.FromMilliseconds(thinkTimeMs ?? options.Value.DefaultThinkTimeMs);
        if (thinkTime > TimeSpan.Zero)
        {
            await Task.Delay(thinkTime, timeProvider, cancellationToken);
        }

        // Step 2, the act (the article: users.push(...)), without looking again.
        var added = await names.AppendNaivelyAsync(client, key, request.Username, cancellationToken);
        return added.Outcome switch
        {
            NaiveAppendOutcome.Appended => TypedResults.Created(
                OutcomePath(request.Username),
                new NaiveRegistrationResponse(NaiveRegistrationResponse.WarningMessage, request.Username, added.Copies)),
            NaiveAppendOutcome.ListFull => NaiveListFull(),
            _ => NaiveListsFull(),
        };
    }

    public static async Task<NoContent> ClearNaiveNames(HttpContext context, INaiveNameStore names, CancellationToken cancellationToken)
    {
        await names.ClearNaiveNamesAsync(ClientAddress.Of(context), cancellationToken);
        return TypedResults.NoContent();
    }

    public static Created<RacePlan> PlanRace(RacePlanRequest request, IOptions<RaceLabOptions> options, IOptions<FairnessOptions> fairness)
    {
        var username = $"race_{Guid.NewGuid():N}"[..13];
        var thinkTimeMs = request.ThinkTimeMs ?? options.Value.DefaultThinkTimeMs;
        var plan = new RacePlan(
            username,
            request.Racers,
            thinkTimeMs,
            $"{NaiveRegisterPath}?thinkTimeMs={thinkTimeMs}",
            RegistrationEndpoints.RegisterPath,
            OutcomePath(username),
            fairness.Value.ConnectionsPerClient);
        return TypedResults.Created(plan.OutcomePath, plan);
    }

    public static async Task<Ok<RaceOutcome>> GetRaceOutcome(
        string username, HttpContext context, INaiveNameStore names, IUserStore store, CancellationToken cancellationToken)
    {
        var key = UsernameKey.From(username);
        var registered = await store.FindAsync(key, cancellationToken) is not null;
        var copies = await names.CountNaiveCopiesAsync(ClientAddress.Of(context), key, cancellationToken);
        return TypedResults.Ok(new RaceOutcome(username, copies, registered));
    }

    public static string OutcomePath(string username) => $"/lab/races/{Uri.EscapeDataString(username)}";

    public static ProblemHttpResult NaiveListFull() =>
        ProblemTypes.StoreFull.Result("Your naive name list is full (RaceLab:NaiveCapacity). DELETE /naive/names empties it.");

    public static ProblemHttpResult NaiveListsFull() =>
        ProblemTypes.StoreFull.Result(
            "The race lab keeps naive name lists for as many clients as RaceLab:NaiveClients allows, and all of them were " +
            "used within RaceLab:NaiveIdleTimeout; yours is made when one falls idle. POST /register works meanwhile.");
}
