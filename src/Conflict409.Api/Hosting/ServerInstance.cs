using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Conflict409.Api.Hosting;

public sealed class InstanceOptions
{
    public const string SectionName = "Instance";

    /// <summary>
    /// The name this server answers as (<see cref="ServerInstance.HeaderName"/>, and each board event): unset, the
    /// machine's name and the port it listens on, so two instances on one machine are told apart.
    /// </summary>
    [StringLength(64, MinimumLength = 1, ErrorMessage = "Instance:Name must be from {2} to {1} characters.")]
    [RegularExpression("^[A-Za-z0-9._:-]+$", ErrorMessage = "Instance:Name may hold only letters, digits, '.', '_', ':' and '-'.")]
    public string? Name { get; set; }
}

/// <summary>
/// Which server instance answered: lesson 5 runs several behind one address, and a learner sees which one said 409.
/// The name is worked out once, on the first request (the port is only known once the server listens), then every
/// response carries the same string.
/// </summary>
public sealed class ServerInstance(IOptions<InstanceOptions> options, IServer server)
{
    public const string HeaderName = "Conflict409-Instance";

    // Worked out twice at worst, by two first requests at once: the same value either way.
    private string? _name;

    public string Name => _name ??= options.Value.Name ?? DefaultName(server);

    public RequestDelegate Announce(RequestDelegate next) => context =>
    {
        // Set before the handler runs, so every answer carries it, problems and early refusals included.
        context.Response.Headers[HeaderName] = Name;
        return next(context);
    };

    private static string DefaultName(IServer server)
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        var port = address is not null && BindingAddress.Parse(address) is { Port: > 0 } binding
            ? binding.Port.ToString(CultureInfo.InvariantCulture)
            : null;
        return port is null ? Environment.MachineName : $"{Environment.MachineName}:{port}";
    }
}

public static class ServerInstanceSetup
{
    public static IServiceCollection AddServerInstance(this IServiceCollection services)
    {
        services.AddValidatedOptions<InstanceOptions>(InstanceOptions.SectionName);
        services.AddSingleton<ServerInstance>();
        return services;
    }

    /// <summary>Names the answering instance on every response; put it first, before anything that may answer.</summary>
    public static WebApplication UseServerInstance(this WebApplication app)
    {
        app.Use(app.Services.GetRequiredService<ServerInstance>().Announce);
        return app;
    }
}
