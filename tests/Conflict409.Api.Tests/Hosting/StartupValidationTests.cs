using System.Globalization;
using System.Threading.RateLimiting;
using Conflict409.Api.Catalog;
using Conflict409.Api.Clients;
using Conflict409.Api.Diagnostics;
using Conflict409.Api.Hosting;
using Conflict409.Api.Progress;
using Conflict409.Api.Races;
using Conflict409.Api.Shop;
using Conflict409.Api.Storage;
using Conflict409.Api.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Conflict409.Api.Tests.Hosting;

/// <summary>
/// A misconfigured server must refuse to start, naming the setting and what it allows, rather than start and
/// fail requests. Each case runs the start validator the host runs, on the services Program.cs adds: starting a
/// whole test server that fails at start races inside WebApplicationFactory (now and then it reports a disposed
/// service provider instead of the failure).
/// </summary>
public sealed class StartupValidationTests
{
    private static Action StartWith(string key, string value) => StartWith(new Dictionary<string, string?> { [key] = value });

    private static Action StartWith(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings)
            .Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton(TimeProvider.System)
            .AddLogging()
            .AddConflictLimits()
            .AddStore(configuration)
            .AddCatalogRateLimit()
            .AddRaceLab()
            .AddShop()
            .AddClientFairness()
            .AddConflictTelemetry(configuration)
            .AddProgress();
        return () =>
        {
            using var provider = services.BuildServiceProvider();
            provider.GetRequiredService<IStartupValidator>().Validate();
        };
    }

    [Theory]
    [InlineData("Users:Capacity", "-1", "Users:Capacity must be from 1 to 10000000.")]
    [InlineData("Users:Capacity", "0", "Users:Capacity must be from 1 to 10000000.")]
    [InlineData("Users:TeamCapacity", "-5", "Users:TeamCapacity must be from 1 to 1000000.")]
    [InlineData("Catalog:RateLimit:Window", "00:00:00", "Catalog:RateLimit:Window must be from 00:00:01 to 1.00:00:00.")]
    [InlineData("Catalog:RateLimit:PermitLimit", "0", "Catalog:RateLimit:PermitLimit must be from 1 to 1000000.")]
    [InlineData("Catalog:RateLimit:RejectionStatusCode", "503", "Catalog:RateLimit:RejectionStatusCode must be 409 or 429.")]
    [InlineData("RequestTimeout", "-00:00:05", "RequestTimeout must be from 00:00:00.0010000 to 00:10:00.")]
    [InlineData("RequestTimeout", "00:00:00", "RequestTimeout must be from 00:00:00.0010000 to 00:10:00.")]
    [InlineData("Idempotency:KeyLifetime", "10675199.02:48:05", "Idempotency:KeyLifetime must be from 00:00:01 to 7.00:00:00.")]
    [InlineData("Idempotency:KeyLifetime", "00:00:00", "Idempotency:KeyLifetime must be from 00:00:01 to 7.00:00:00.")]
    [InlineData("Idempotency:Capacity", "0", "Idempotency:Capacity must be from 1 to 1000000.")]
    [InlineData("Kestrel:Limits:MaxRequestBodySize", "0", "Kestrel:Limits:MaxRequestBodySize must be from 1 to 1048576 bytes.")]
    [InlineData("Idempotency:PerClientCapacity", "0", "Idempotency:PerClientCapacity must be from 1 to 1000000.")]
    [InlineData("RaceLab:NaiveCapacity", "0", "RaceLab:NaiveCapacity must be from 1 to 1000000.")]
    [InlineData("RaceLab:DefaultThinkTimeMs", "5000", "RaceLab:DefaultThinkTimeMs must be from 0 to 2000.")]
    [InlineData("RaceLab:NaiveClients", "0", "RaceLab:NaiveClients must be from 1 to 1000000.")]
    [InlineData("RaceLab:NaiveIdleTimeout", "00:00:30", "RaceLab:NaiveIdleTimeout must be from 00:01:00 to 1.00:00:00.")]
    [InlineData("Shop:SessionIdleTimeout", "00:00:00", "Shop:SessionIdleTimeout must be from 00:00:01 to 1.00:00:00.")]
    [InlineData("Shop:SessionStoreBytes", "0", "Shop:SessionStoreBytes must be from 1 to 268435456.")]
    [InlineData("Progress:MaxLearners", "0", "Progress:MaxLearners must be from 1 to 1000000.")]
    [InlineData("Progress:MaxLearnersPerAddress", "0", "Progress:MaxLearnersPerAddress must be from 1 to 1000000.")]
    [InlineData("Progress:MaxEventsPerLearner", "0", "Progress:MaxEventsPerLearner must be from 1 to 10000.")]
    [InlineData("Progress:LearnerLifetime", "00:00:00", "Progress:LearnerLifetime must be from 00:00:01 to 30.00:00:00.")]
    [InlineData("Progress:QueueCapacity", "0", "Progress:QueueCapacity must be from 1 to 1000000.")]
    [InlineData("Fairness:Registrations:Window", "00:00:00", "Fairness:Registrations:Window must be from 00:00:01 to 1.00:00:00.")]
    [InlineData("Fairness:Registrations:PermitLimit", "0", "Fairness:Registrations:PermitLimit must be from 1 to 10000000.")]
    [InlineData("Fairness:TeamCreations:PermitLimit", "-1", "Fairness:TeamCreations:PermitLimit must be from 1 to 10000000.")]
    [InlineData("Fairness:TeamCreations:Window", "2.00:00:00", "Fairness:TeamCreations:Window must be from 00:00:01 to 1.00:00:00.")]
    [InlineData("Fairness:Listing:PermitLimit", "0", "Fairness:Listing:PermitLimit must be from 1 to 10000000.")]
    [InlineData("Fairness:Listing:Window", "00:00:00.5", "Fairness:Listing:Window must be from 00:00:01 to 1.00:00:00.")]
    [InlineData("Fairness:ConnectionsPerClient", "0", "Fairness:ConnectionsPerClient must be from 1 to 100000.")]
    [InlineData("Fairness:RefusedConnectionsAnswered", "-1", "Fairness:RefusedConnectionsAnswered must be from 0 to 100000.")]
    public void A_setting_out_of_its_range_stops_the_server_at_start_with_a_message_naming_it_and_the_range(
        string key, string value, string message)
    {
        StartWith(key, value).Should().Throw<OptionsValidationException>().WithMessage($"*{message}*");
    }

    [Theory]
    [InlineData("Idempotency:KeyLifetime", "Idempotency:KeyLifetime must be from 00:00:01 to 7.00:00:00. 'banana' is not a duration")]
    [InlineData("Catalog:RateLimit:Window", "Catalog:RateLimit:Window must be from 00:00:01 to 1.00:00:00. 'banana' is not a duration")]
    [InlineData("RequestTimeout", "RequestTimeout must be from 00:00:00.0010000 to 00:10:00. 'banana' is not a duration")]
    [InlineData("Users:Capacity", "Users:Capacity must be from 1 to 10000000. 'banana' is not a whole number")]
    [InlineData("Progress:LearnerLifetime", "Progress:LearnerLifetime must be from 00:00:01 to 30.00:00:00. 'banana' is not a duration")]
    [InlineData("Fairness:Registrations:Window", "Fairness:Registrations:Window must be from 00:00:01 to 1.00:00:00. 'banana' is not a duration")]
    [InlineData("Fairness:Listing:PermitLimit", "Fairness:Listing:PermitLimit must be from 1 to 10000000. 'banana' is not a whole number")]
    [InlineData("Fairness:ConnectionsPerClient", "Fairness:ConnectionsPerClient must be from 1 to 100000. 'banana' is not a whole number")]
    public void A_value_not_of_the_settings_type_stops_the_server_at_start_naming_the_setting_and_the_range(string key, string message)
    {
        StartWith(key, "banana").Should().Throw<OptionsValidationException>().WithMessage($"*{message}*");
    }

    [Theory]
    [InlineData("ForwardedHeaders:KnownProxies:0", "banana",
        "ForwardedHeaders:KnownProxies:0 must be an IP address such as 10.0.0.5; 'banana' is not.")]
    [InlineData("ForwardedHeaders:KnownProxies:0", "10.0.0.0/8",
        "ForwardedHeaders:KnownProxies:0 must be an IP address such as 10.0.0.5; '10.0.0.0/8' is not.")]
    [InlineData("ForwardedHeaders:KnownNetworks:0", "10.0.0.0/33",
        "ForwardedHeaders:KnownNetworks:0 must be a network in CIDR notation such as 10.0.0.0/24 (no bits set after the prefix); '10.0.0.0/33' is not.")]
    [InlineData("ForwardedHeaders:KnownNetworks:0", "10.0.0.5/8",
        "ForwardedHeaders:KnownNetworks:0 must be a network in CIDR notation such as 10.0.0.0/24 (no bits set after the prefix); '10.0.0.5/8' is not.")]
    [InlineData("ForwardedHeaders:KnownNetworks:0", "10.0.0.5",
        "ForwardedHeaders:KnownNetworks:0 must be a network in CIDR notation such as 10.0.0.0/24 (no bits set after the prefix); '10.0.0.5' is not.")]
    public void A_proxy_address_or_network_that_does_not_parse_stops_the_server_at_start_naming_the_setting(
        string key, string value, string message)
    {
        StartWith(key, value).Should().Throw<OptionsValidationException>().WithMessage($"*{message}*");
    }

    [Fact]
    public void Proxy_addresses_and_networks_that_parse_start()
    {
        StartWith(new Dictionary<string, string?>
        {
            ["ForwardedHeaders:KnownProxies:0"] = "10.0.0.5",
            ["ForwardedHeaders:KnownProxies:1"] = "::1",
            ["ForwardedHeaders:KnownNetworks:0"] = "10.0.0.0/24",
            ["ForwardedHeaders:KnownNetworks:1"] = "fd00::/8",
        }).Should().NotThrow();
    }

    [Fact]
    public void More_learner_names_per_address_than_learners_in_all_stops_the_server_at_start()
    {
        StartWith(new Dictionary<string, string?> { ["Progress:MaxLearners"] = "10", ["Progress:MaxLearnersPerAddress"] = "11" })
            .Should().Throw<OptionsValidationException>().WithMessage("*Progress:MaxLearnersPerAddress must not exceed Progress:MaxLearners.*");
        StartWith(new Dictionary<string, string?> { ["Progress:MaxLearners"] = "10", ["Progress:MaxLearnersPerAddress"] = "10" })
            .Should().NotThrow();
    }

    [Fact]
    public void A_seeded_username_breaking_the_username_rules_or_more_seeds_than_the_capacity_stop_the_server_at_start()
    {
        StartWith("Users:Seed:0", "a").Should().Throw<OptionsValidationException>()
            .WithMessage("*Users:Seed:0 is not a valid username: The username must be 3 to 32 characters long.*");
        StartWith(new Dictionary<string, string?> { ["Users:Seed:0"] = "john_doe", ["Users:Seed:1"] = "jane_smith", ["Users:Capacity"] = "1" })
            .Should().Throw<OptionsValidationException>().WithMessage("*Users:Seed names 2 users, more than Users:Capacity (1).*");
        StartWith(new Dictionary<string, string?> { ["Users:Seed:0"] = "john_doe", ["Users:Seed:1"] = "John_Doe", ["Users:Capacity"] = "1" })
            .Should().NotThrow("names that compare equal are one user");
    }

    [Fact]
    public void The_largest_allowed_limit_over_the_shortest_window_still_makes_a_token_bucket()
    {
        // The token bucket refills one permit every Window / PermitLimit, and refuses a zero period: within the
        // ranges that period is one tick at least, and ten times the largest limit would make it zero.
        static TokenBucketRateLimiter Bucket(int permitLimit) => new(new TokenBucketRateLimiterOptions
        {
            TokenLimit = permitLimit,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.Parse(ClientRateLimit.MinWindow, CultureInfo.InvariantCulture) / permitLimit,
            AutoReplenishment = false,
        });

        FluentActions.Invoking(() => Bucket(ClientRateLimit.MaxPermitLimit).Dispose()).Should().NotThrow();
        FluentActions.Invoking(() => Bucket(ClientRateLimit.MaxPermitLimit * 10).Dispose()).Should().Throw<ArgumentException>();
        StartWith(new Dictionary<string, string?>
        {
            ["Fairness:Registrations:PermitLimit"] = $"{ClientRateLimit.MaxPermitLimit}",
            ["Fairness:Registrations:Window"] = ClientRateLimit.MinWindow,
        }).Should().NotThrow();
    }

    [Fact]
    public void The_shipped_settings_and_the_range_limits_themselves_start()
    {
        StartWith("Users:Capacity", "1").Should().NotThrow();
        StartWith("Idempotency:KeyLifetime", "7.00:00:00").Should().NotThrow();
        StartWith("RequestTimeout", "00:10:00").Should().NotThrow();
        StartWith("Kestrel:Limits:MaxRequestBodySize", "1048576").Should().NotThrow();
    }

    [Fact]
    public async Task Every_options_class_of_the_server_is_validated()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        var optionsTypes = typeof(Program).Assembly.GetTypes()
            .Where(type => type.Name.EndsWith("Options", StringComparison.Ordinal) && type.GetField("SectionName") is not null)
            .ToArray();

        optionsTypes.Should().NotBeEmpty();
        foreach (var type in optionsTypes)
        {
            app.Services.GetServices(typeof(IValidateOptions<>).MakeGenericType(type))
                .Should().NotBeEmpty("{0} is bound from configuration, so a bad value must stop the server at start", type.Name);
        }
    }
}
