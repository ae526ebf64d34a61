using Conflict409.Api.Users;
using Microsoft.Extensions.DependencyInjection;

namespace Conflict409.Api.Tests.Infrastructure;

/// <summary>
/// Holds every registration at the store's door until <c>racers</c> of them have arrived, then lets them all in at
/// once: the atomic store's counterpart of holding the naive endpoint between its check and its add.
/// </summary>
public sealed class StartingLineUserStore(IUserStore inner, int racers) : DelegatingUserStore(inner)
{
    private readonly TaskCompletionSource _allArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _arrived;

    public static StartingLineUserStore Install(Conflict409App app, int racers)
    {
        app.DecorateUserStore(inner => new StartingLineUserStore(inner, racers));
        return app.Services.GetRequiredService<StartingLineUserStore>();
    }

    public override async ValueTask<AddUserResult> TryAddAsync(User user, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Increment(ref _arrived) == racers)
        {
            _allArrived.TrySetResult();
        }

        await _allArrived.Task.WaitAsync(cancellationToken);
        return await base.TryAddAsync(user, cancellationToken);
    }
}
