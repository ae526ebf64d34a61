namespace Conflict409.Api.Users;

public static class UserServices
{
    public static IServiceCollection AddUsers(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<UserStoreOptions>(configuration.GetSection(UserStoreOptions.SectionName));
        services.AddSingleton<IUserStore, InMemoryUserStore>();
        return services;
    }
}
