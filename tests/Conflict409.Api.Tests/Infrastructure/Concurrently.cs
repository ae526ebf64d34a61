namespace Conflict409.Api.Tests.Infrastructure;

public static class Concurrently
{
    /// <summary>
    /// Starts <paramref name="count"/> attempts held at one start line, then releases them together, so they
    /// really race instead of trickling in as they are created.
    /// </summary>
    public static async Task<T[]> RunAsync<T>(int count, Func<int, Task<T>> attempt)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var attempts = Enumerable.Range(0, count).Select(async i =>
        {
            await start.Task;
            return await attempt(i);
        }).ToList();
        start.SetResult();
        return await Task.WhenAll(attempts);
    }

    /// <summary>Sends a request per attempt, racing, and returns the status codes.</summary>
    public static Task<System.Net.HttpStatusCode[]> SendAsync(int count, Func<int, Task<HttpResponseMessage>> send) =>
        RunAsync(count, async i =>
        {
            using var response = await send(i);
            return response.StatusCode;
        });
}
