using Conflict409.Api.Users;

namespace Conflict409.Api.Teams;

/// <summary>
/// The identity of a team name. Team names are compared the way usernames are (<see cref="UsernameKey"/>:
/// case- and width-insensitively), but the key is a type of its own, so a team's key cannot be passed where a
/// user's is meant, nor the other way round.
/// </summary>
public readonly record struct TeamKey
{
    private TeamKey(string value) => Value = value;

    public string Value { get; }

    public static TeamKey From(string name) => new(UsernameKey.From(name).Value);

    public override string ToString() => Value;
}
