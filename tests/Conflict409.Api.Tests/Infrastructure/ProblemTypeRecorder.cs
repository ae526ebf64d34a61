using System.Collections.Concurrent;
using Conflict409.Api.Problems;
using Microsoft.AspNetCore.Http;

namespace Conflict409.Api.Tests.Infrastructure;

/// <summary>
/// Records the <c>type</c> of every problem a test server writes. Handler results, validation, status-code pages,
/// the exception handler and middleware all write through <see cref="IProblemDetailsService"/>, so the whole suite
/// collects the types the server really sends, and <see cref="Conflict409App"/> fails a test whose server sent one
/// that <see cref="ProblemTypes"/> does not list.
/// </summary>
public sealed class ProblemTypeRecorder
{
    private readonly ConcurrentDictionary<string, bool> _sent = new();

    public IReadOnlyCollection<string> Sent => [.. _sent.Keys];

    public IReadOnlyCollection<string> Unlisted => [.. _sent.Keys.Where(type => ProblemCatalog.FindByUri(type) is null)];

    public IProblemDetailsService Wrap(IProblemDetailsService inner) => new Recording(inner, this);

    private sealed class Recording(IProblemDetailsService inner, ProblemTypeRecorder recorder) : IProblemDetailsService
    {
        public async ValueTask WriteAsync(ProblemDetailsContext context)
        {
            await inner.WriteAsync(context);
            recorder.Record(context);
        }

        public async ValueTask<bool> TryWriteAsync(ProblemDetailsContext context)
        {
            var written = await inner.TryWriteAsync(context);
            if (written)
            {
                recorder.Record(context);
            }

            return written;
        }
    }

    // The writer fills in the default type and runs CustomizeProblemDetails on this very object while writing.
    private void Record(ProblemDetailsContext context) => _sent[context.ProblemDetails.Type ?? "(none)"] = true;
}
