using Conflict409.Api.Storage;
using Conflict409.Api.Teams;

namespace Conflict409.Api.Users;

public static class UserServices
{
    public static IServiceCollection AddUsers(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<UserStoreOptions>(configuration.GetSection(UserStoreOptions.SectionName));
        services.AddSingleton<InMemoryStore>();
        services.AddSingleton<IUserStore>(provider => provider.GetRequiredService<InMemoryStore>());
        services.AddSingleton<ITeamStore>(provider => provider.GetRequiredService<InMemoryStore>());
        return services;
    }
}
