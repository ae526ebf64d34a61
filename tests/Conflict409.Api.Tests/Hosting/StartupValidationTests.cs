using Conflict409.Api.Catalog;
using Conflict409.Api.Clients;
using Conflict409.Api.Hosting;
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
    private static Action StartWith(string key, string value)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [key] = value })
            .Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton(TimeProvider.System)
            .AddLogging()
            .AddConflictLimits(configuration)
            .AddStore(configuration)
            .AddCatalogRateLimit()
            .AddRaceLab()
            .AddShop()
            .AddClientFairness(configuration);
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
    [InlineData("Shop:SessionIdleTimeout", "00:00:00", "Shop:SessionIdleTimeout must be from 00:00:01 to 1.00:00:00.")]
    [InlineData("Shop:SessionStoreBytes", "0", "Shop:SessionStoreBytes must be from 1 to 268435456.")]
    [InlineData("Fairness:Registrations:Window", "00:00:00", "Window")]
    public void A_setting_out_of_its_range_stops_the_server_at_start_with_a_message_naming_it_and_the_range(
        string key, string value, string message)
    {
        StartWith(key, value).Should().Throw<OptionsValidationException>().WithMessage($"*{message}*");
    }

    [Theory]
    [InlineData("Idempotency:KeyLifetime")]
    [InlineData("Catalog:RateLimit:Window")]
    [InlineData("RequestTimeout")]
    public void A_duration_that_is_not_one_stops_the_server_at_start_naming_the_setting(string key)
    {
        // The configuration binder refuses it before any range is checked; its message names the key and the value.
        StartWith(key, "banana").Should().Throw<InvalidOperationException>().WithMessage($"*'banana'*'{key}'*TimeSpan*");
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
