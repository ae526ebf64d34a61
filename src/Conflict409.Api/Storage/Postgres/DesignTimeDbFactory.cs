using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Conflict409.Api.Storage.Postgres;

/// <summary>
/// Lets <c>dotnet ef migrations add</c> build the model without starting the server (which uses the
/// in-memory store by default). Adding a migration does not connect, so no real server is named.
/// </summary>
public sealed class DesignTimeDbFactory : IDesignTimeDbContextFactory<Conflict409Db>
{
    public Conflict409Db CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<Conflict409Db>().UseNpgsql("Host=localhost;Database=conflict409").Options);
}
