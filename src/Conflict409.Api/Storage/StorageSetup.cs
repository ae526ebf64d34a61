using Conflict409.Api.Hosting;
using Conflict409.Api.Idempotency;
using Conflict409.Api.Progress;
using Conflict409.Api.Races;
using Conflict409.Api.Storage.Postgres;
using Conflict409.Api.Teams;
using Conflict409.Api.Users;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Conflict409.Api.Storage;

public enum StoreKind
{
    InMemory,
    PostgreSql,
}

public static class StorageSetup
{
    public const string StoreKey = "Store";
    public const string ConnectionStringName = "Conflict409";

    /// <summary>Instances on one database share the Data Protection keys stored under this name.</summary>
    public const string DataProtectionApplicationName = "Conflict409";

    /// <summary>
    /// The store behind every endpoint: in memory by default (nothing to install, one process), or PostgreSQL
    /// when <c>Store=PostgreSql</c> and <c>ConnectionStrings:Conflict409</c> are set (several instances, one truth).
    /// </summary>
    public static IServiceCollection AddStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<UserStoreOptions>(UserStoreOptions.SectionName);
        services.AddValidatedOptions<IdempotencyOptions>(IdempotencyOptions.SectionName);

        if (configuration.GetValue(StoreKey, StoreKind.InMemory) == StoreKind.InMemory)
        {
            services.AddSingleton<InMemoryStore>();
            services.AddSingleton<IUserStore>(provider => provider.GetRequiredService<InMemoryStore>());
            services.AddSingleton<ITeamStore>(provider => provider.GetRequiredService<InMemoryStore>());
            services.AddSingleton<IIdempotencyStore, InMemoryIdempotencyStore>();
            services.AddSingleton<NaiveNameLists>();
            services.AddSingleton<INaiveNameStore>(provider => provider.GetRequiredService<NaiveNameLists>());
            return services;
        }

        var connectionString = configuration.GetConnectionString(ConnectionStringName)
            ?? throw new InvalidOperationException($"Store=PostgreSql needs ConnectionStrings:{ConnectionStringName}.");
        // One pool for the store's SQL and EF Core's contexts alike.
        services.AddSingleton(provider => DatabaseConnections.Create(
            connectionString, provider.GetRequiredService<IOptions<ServerLimitsOptions>>().Value.RequestTimeout));
        services.AddPooledDbContextFactory<Conflict409Db>((provider, options) => options.UseNpgsql(provider.GetRequiredService<NpgsqlDataSource>()));
        services.AddScoped(provider => provider.GetRequiredService<IDbContextFactory<Conflict409Db>>().CreateDbContext());
        services.AddSingleton<PostgresStore>();
        services.AddSingleton<IUserStore>(provider => provider.GetRequiredService<PostgresStore>());
        services.AddSingleton<ITeamStore>(provider => provider.GetRequiredService<PostgresStore>());
        services.AddSingleton<IIdempotencyStore, PostgresIdempotencyStore>();
        services.AddSingleton<INaiveNameStore, PostgresNaiveNameStore>();
        // Every instance's graders replay one log, so a learner's board is the same on every instance.
        services.AddSingleton<IProgressLog>(provider => new PostgresProgressLog(
            provider.GetRequiredService<NpgsqlDataSource>(), provider.GetRequiredService<EndpointDataSource>(), connectionString));
        services.AddHostedService<DatabaseMigrator>();
        // After the migrator, so the key ring is first read once its table exists. The keys are what sign the form
        // tokens and protect the session cookie: kept in the database and shared under one application name, a
        // token or cookie one instance issued is read by every other. They are stored unencrypted (a teaching server
        // has no certificate to wrap them with): whoever can read the database can forge both.
        services.AddDataProtection().SetApplicationName(DataProtectionApplicationName).PersistKeysToDbContext<Conflict409Db>();
        // Lesson 7's sessions, in the database instead of one process's memory (AddShop adds its memory cache only
        // where no cache is registered).
        services.AddSingleton<IDistributedCache, PostgresSessionCache>();
        services.AddExceptionHandler<DatabaseUnavailableHandler>();
        services.AddHealthChecks().AddDbContextCheck<Conflict409Db>("database");
        return services;
    }
}
