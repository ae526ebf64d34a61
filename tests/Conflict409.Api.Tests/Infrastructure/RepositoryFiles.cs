namespace Conflict409.Api.Tests.Infrastructure;

/// <summary>Files of the repository the tests run from (README, the .http walk-through), found above the test binaries.</summary>
public static class RepositoryFiles
{
    public static string Find(params string[] relativePath)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine([directory.FullName, .. relativePath]);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"{Path.Combine(relativePath)} was not found above {AppContext.BaseDirectory}");
    }
}
