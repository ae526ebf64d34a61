using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Conflict409.Api.Storage.Postgres;

public sealed class UserRow
{
    /// <summary>The normalised username (<see cref="Users.UsernameKey"/>): its unique index is what refuses a duplicate.</summary>
    public required string Key { get; set; }

    public required string Username { get; set; }

    /// <summary>The key's confusable skeleton (<see cref="Users.UsernameSkeleton"/>): its unique index refuses a look-alike.</summary>
    public required string Skeleton { get; set; }

    public DateTimeOffset RegisteredAt { get; set; }

    public string? DisplayName { get; set; }

    public string? Bio { get; set; }

    /// <summary>The optimistic-concurrency token of lesson 1.</summary>
    public long Version { get; set; }
}

public sealed class TeamRow
{
    public required string Key { get; set; }

    public required string Name { get; set; }

    public required string OwnerKey { get; set; }

    public required string Owner { get; set; }

    public List<TeamMemberRow> Members { get; set; } = [];
}

public sealed class TeamMemberRow
{
    public required string TeamKey { get; set; }

    public int Position { get; set; }

    public required string UserKey { get; set; }

    public required string Username { get; set; }
}

public sealed class IdempotencyKeyRow
{
    /// <summary>The client the key belongs to (<see cref="Clients.ClientAddress"/>): a key is unique per client.</summary>
    public required string Client { get; set; }

    public required string Key { get; set; }

    public required string Fingerprint { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>
    /// When the first request is expected to have completed (its hold and its work), so that a request finding the key
    /// in flight gets an honest Retry-After. Null in rows claimed before the column existed.
    /// </summary>
    public DateTimeOffset? DueAt { get; set; }

    /// <summary>Null while the first request is in flight.</summary>
    public int? StatusCode { get; set; }

    public string? ContentType { get; set; }

    public string? Location { get; set; }

    public byte[]? Body { get; set; }
}

/// <summary>
/// How many places under the capacity are taken: the users (or teams) stored, plus the places server instances
/// have reserved in blocks and not used yet (<see cref="PlaceReservations"/>). So the capacity holds exactly
/// across instances; the migrator recounts at a start with no other server connected, in case a crashed
/// instance left places reserved.
/// </summary>
public sealed class CounterRow
{
    public const string Users = "users";
    public const string Teams = "teams";

    public required string Name { get; set; }

    public long Value { get; set; }
}

/// <summary>
/// One entry of the distributed cache behind lesson 7's sessions (<see cref="PostgresSessionCache"/>): what
/// ASP.NET Core's session keeps for one session cookie, and when it is forgotten.
/// </summary>
public sealed class SessionCacheRow
{
    public required string Key { get; set; }

    public required byte[] Value { get; set; }

    /// <summary>When the entry is forgotten unless read again (sliding) — never later than <see cref="AbsoluteExpiresAt"/>.</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    public TimeSpan? SlidingExpiration { get; set; }

    public DateTimeOffset? AbsoluteExpiresAt { get; set; }
}

/// <summary>Lesson 6: a client's naive name list, and when it was last used (the idle purge and the RaceLab:NaiveClients bound).</summary>
public sealed class NaiveListRow
{
    /// <summary>The client the list belongs to (<see cref="Clients.ClientAddress"/>).</summary>
    public required string Client { get; set; }

    public DateTimeOffset LastUsed { get; set; }
}

/// <summary>Lesson 6: one copy of a name in a client's naive list. No unique index, on purpose: the race adds copies.</summary>
public sealed class NaiveNameRow
{
    /// <summary>The order of the adds: the first copy's spelling is the one a later check reports.</summary>
    public long Id { get; set; }

    public required string Client { get; set; }

    /// <summary>The normalised username (<see cref="Users.UsernameKey"/>).</summary>
    public required string Key { get; set; }

    public required string Username { get; set; }
}

/// <summary>
/// One graded request in the progress log every instance replays (<see cref="PostgresProgressLog"/>): only what
/// grading reads of the response, so every instance builds the same boards.
/// </summary>
public sealed class ProgressObservationRow
{
    /// <summary>The log's order: assigned under one lock, so ids are committed in order and a reader never skips one.</summary>
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    public required string Instance { get; set; }

    public string? Learner { get; set; }

    public string? Address { get; set; }

    /// <summary>The endpoint's name (WithName): the graded operation.</summary>
    public required string Endpoint { get; set; }

    public string? Target { get; set; }

    public string? Location { get; set; }

    public int Status { get; set; }

    public string? ProblemType { get; set; }

    /// <summary>The problem's <c>username</c> member (lesson 0 and 6).</summary>
    public string? ProblemUsername { get; set; }

    /// <summary>The problem's <c>blockedBy</c> member (lesson 2).</summary>
    public string[]? ProblemBlockedBy { get; set; }

    public TimeSpan? RetryAfter { get; set; }

    public DateTimeOffset? AnsweredAt { get; set; }

    public string? IdempotencyKey { get; set; }

    public bool Conditional { get; set; }

    public bool Replayed { get; set; }
}

/// <remarks>
/// <see cref="IDataProtectionKeyContext"/>: the Data Protection key ring (form tokens, session cookies) lives here
/// too, so that every instance on the database signs and reads them with the same keys.
/// </remarks>
public sealed class Conflict409Db(DbContextOptions<Conflict409Db> options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<UserRow> Users => Set<UserRow>();

    public DbSet<TeamRow> Teams => Set<TeamRow>();

    public DbSet<TeamMemberRow> TeamMembers => Set<TeamMemberRow>();

    public DbSet<IdempotencyKeyRow> IdempotencyKeys => Set<IdempotencyKeyRow>();

    public DbSet<CounterRow> Counters => Set<CounterRow>();

    public DbSet<SessionCacheRow> SessionCache => Set<SessionCacheRow>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<NaiveListRow> NaiveLists => Set<NaiveListRow>();

    public DbSet<NaiveNameRow> NaiveNames => Set<NaiveNameRow>();

    public DbSet<ProgressObservationRow> ProgressObservations => Set<ProgressObservationRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<UserRow>(user =>
        {
            user.HasKey(row => row.Key);
            // Byte order, as the in-memory store sorts: the /users cursor must mean the same thing on both.
            user.Property(row => row.Key).UseCollation("C");
            user.Property(row => row.Version).IsConcurrencyToken();
            user.Property(row => row.Skeleton).UseCollation("C");
            user.HasIndex(row => row.Skeleton).IsUnique();
        });

        modelBuilder.Entity<TeamRow>(team =>
        {
            team.HasKey(row => row.Key);
            team.Property(row => row.Key).UseCollation("C");
            team.Property(row => row.OwnerKey).UseCollation("C");
            // Restrict: a user that owns or is listed by a team cannot be deleted, even by a racing request.
            team.HasOne<UserRow>().WithMany().HasForeignKey(row => row.OwnerKey).OnDelete(DeleteBehavior.Restrict);
            team.HasMany(row => row.Members).WithOne().HasForeignKey(member => member.TeamKey).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<TeamMemberRow>(member =>
        {
            member.HasKey(row => new { row.TeamKey, row.Position });
            member.HasOne<UserRow>().WithMany().HasForeignKey(row => row.UserKey).OnDelete(DeleteBehavior.Restrict);
            member.Property(row => row.UserKey).UseCollation("C");
            member.HasIndex(row => row.UserKey);
        });

        modelBuilder.Entity<CounterRow>(counter =>
        {
            counter.HasKey(row => row.Name);
            counter.HasData(new CounterRow { Name = CounterRow.Users, Value = 0 }, new CounterRow { Name = CounterRow.Teams, Value = 0 });
        });

        modelBuilder.Entity<IdempotencyKeyRow>(key =>
        {
            key.HasKey(row => new { row.Client, row.Key });
            key.HasIndex(row => row.ExpiresAt);
            // A client's live keys, oldest first: its quota count and its Retry-After.
            key.HasIndex(row => new { row.Client, row.ExpiresAt });
        });

        modelBuilder.Entity<SessionCacheRow>(entry =>
        {
            entry.HasKey(row => row.Key);
            entry.Property(row => row.Key).UseCollation("C");
            // The purge of expired entries and the live bytes counted against Shop:SessionStoreBytes.
            entry.HasIndex(row => row.ExpiresAt);
        });

        modelBuilder.Entity<NaiveListRow>(list =>
        {
            list.HasKey(row => row.Client);
            list.HasIndex(row => row.LastUsed);
            // Forgetting an idle list forgets its names.
            list.HasMany<NaiveNameRow>().WithOne().HasForeignKey(name => name.Client).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<NaiveNameRow>(name =>
        {
            name.HasKey(row => row.Id);
            // The check, the copies count and the per-client capacity all read a client's names, by name or all of them.
            name.HasIndex(row => new { row.Client, row.Key });
        });

        modelBuilder.Entity<ProgressObservationRow>(observation =>
        {
            observation.HasKey(row => row.Id);
            observation.Property(row => row.Id).UseIdentityAlwaysColumn();
            // Pruned by age.
            observation.HasIndex(row => row.At);
        });
    }
}
