using Conflict409.Api.Hosting;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Conflict409.Api.Shop;

public static class ShopSetup
{
    public const string SessionCookieName = ".Conflict409.Session";
    public const string AntiforgeryCookieName = ".Conflict409.Antiforgery";
    public const string FormTokenHeader = "X-Form-Token";
    public const string FormTokenField = "formToken";

    /// <summary>
    /// Lesson 7's session and form token: the framework's session (in memory, or in the database with
    /// Store=PostgreSql; bounded either way) and antiforgery.
    /// </summary>
    public static IServiceCollection AddShop(this IServiceCollection services)
    {
        services.AddValidatedOptions<ShopOptions>(ShopOptions.SectionName);

        // The memory cache counts each session's serialised bytes as its size, so this bounds all sessions together.
        // With Store=PostgreSql, AddStore has registered the database's cache (same bound), and this adds nothing.
        services.AddDistributedMemoryCache();
        services.AddOptions<MemoryDistributedCacheOptions>()
            .Configure<IOptions<ShopOptions>>((cache, shop) => cache.SizeLimit = shop.Value.SessionStoreBytes);

        services.AddSession();
        services.AddOptions<SessionOptions>().Configure<IOptions<ShopOptions>>((session, shop) =>
        {
            session.IdleTimeout = shop.Value.SessionIdleTimeout;
            session.Cookie.Name = SessionCookieName;
            session.Cookie.HttpOnly = true;
            // Lax, as shops use: a link from elsewhere still shows your cart, but no other site's POST carries it.
            session.Cookie.SameSite = SameSiteMode.Lax;
            session.Cookie.IsEssential = true;
        });

        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = AntiforgeryCookieName;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.HeaderName = FormTokenHeader;
            options.FormFieldName = FormTokenField;
        });
        return services;
    }

    /// <summary>Only the shop keeps a session, so no other request pays for loading and saving one.</summary>
    public static WebApplication UseShopSessions(this WebApplication app)
    {
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/shop", StringComparison.OrdinalIgnoreCase), shop => shop.UseSession());
        return app;
    }
}
