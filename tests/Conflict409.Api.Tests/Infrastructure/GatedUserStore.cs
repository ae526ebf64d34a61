using Conflict409.Api.Users;
using Microsoft.Extensions.DependencyInjection;

namespace Conflict409.Api.Tests.Infrastructure;

/// <summary>
/// Holds the first registration inside the store until the test opens the gate, so that "a request is in
/// flight" is a state the test controls rather than a timing accident.
/// </summary>
public sealed class GatedUserStore(IUserStore inner) : DelegatingUserStore(inner)
{
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _calls;

    /// <summary>Completes when the first registration has reached the store.</summary>
    public Task Entered => _entered.Task;

    public void Release() => _released.TrySetResult();

    public static GatedUserStore Install(Conflict409App app)
    {
        app.DecorateUserStore(inner => new GatedUserStore(inner));
        return app.Services.GetRequiredService<GatedUserStore>();
    }

    public override async ValueTask<AddUserResult> TryAddAsync(User user, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Increment(ref _calls) == 1)
        {
            _entered.TrySetResult();
            await _released.Task.WaitAsync(cancellationToken);
        }

        return await base.TryAddAsync(user, cancellationToken);
    }
}
