using System.Net;
using System.Net.Http.Json;
using Conflict409.Api.Progress;
using Conflict409.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Conflict409.Api.Tests.Progress;

/// <summary>Helpers for talking to a server as a named learner and reading its board exactly.</summary>
public static class ProgressApp
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 9, 0, 0, TimeSpan.Zero);

    /// <summary>The server on a fake clock, so Retry-After and expiry are judged without waiting.</summary>
    public static Conflict409App WithClock(this Conflict409App app, FakeTimeProvider clock) =>
        app.WithServices(services => services.AddSingleton<TimeProvider>(clock));

    /// <summary>A client that names itself in the Learner header and, optionally, comes from a given address.</summary>
    public static HttpClient Learner(this Conflict409App app, string name, string? address = null)
    {
        var client = address is null ? app.CreateClient() : app.ClientAt(address);
        client.DefaultRequestHeaders.Add(Conflict409.Api.Progress.Learner.HeaderName, name);
        return client;
    }

    /// <summary>A client from <paramref name="address"/> that sends no Learner header of its own.</summary>
    public static HttpClient ClientAt(this Conflict409App app, string address) =>
        // Cookies kept and redirects followed, as CreateClient's own client does.
        new(new RedirectHandler
        {
            InnerHandler = new CookieContainerHandler
            {
                InnerHandler = app.Server.CreateHandler(context => context.Connection.RemoteIpAddress = IPAddress.Parse(address)),
            },
        })
        {
            BaseAddress = app.Server.BaseAddress,
        };

    public static async Task<ProgressBoard> BoardAsync(this HttpClient client, string? learner = null)
    {
        var board = await client.GetFromJsonAsync<ProgressBoard>(learner is null ? "/progress" : $"/progress?learner={learner}");
        return board!;
    }

    /// <summary>The board lesson by lesson, one line each, so a test states all of it.</summary>
    public static string[] Lines(this ProgressBoard board) =>
        [.. board.Lessons.Select(lesson =>
            $"{lesson.Id}: {lesson.State}, {lesson.Conflicts} conflict(s), {lesson.Recoveries} recovery(ies)" +
            string.Concat(lesson.Mistakes.Select(mistake => $", {mistake.Id}×{mistake.Count}")))];

    /// <summary>The lines of a board where only the lessons named in <paramref name="touched"/> have moved.</summary>
    public static string[] Expected(params string[] touched) =>
        [.. Conflict409.Api.Lessons.LessonCatalog.All.Select(lesson =>
            touched.SingleOrDefault(line => line.StartsWith(lesson.Id + ":", StringComparison.Ordinal))
            ?? (GradedOperations.Lessons.Contains(lesson)
                ? $"{lesson.Id}: not-started, 0 conflict(s), 0 recovery(ies)"
                : $"{lesson.Id}: not-graded, 0 conflict(s), 0 recovery(ies)"))];
}
