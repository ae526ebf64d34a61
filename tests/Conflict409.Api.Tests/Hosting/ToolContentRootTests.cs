using Conflict409.Api.Hosting;

namespace Conflict409.Api.Tests.Hosting;

public sealed class ToolContentRootTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("conflict409-content-root-");

    private string Folder(string name, bool withSettings)
    {
        var folder = _root.CreateSubdirectory(name).FullName;
        if (withSettings)
        {
            File.WriteAllText(Path.Combine(folder, ToolContentRoot.SettingsFile), "{}");
        }

        return folder;
    }

    private static string? NoEnvironment(string name) => null;

    [Fact]
    public void An_installed_tool_started_from_an_unrelated_directory_uses_its_own_folder()
    {
        var tool = Folder("tool", withSettings: true);

        ToolContentRoot.Choose([], Folder("anywhere", withSettings: false), tool, NoEnvironment).Should().Be(tool);
    }

    [Fact]
    public void Dotnet_run_which_starts_in_the_project_folder_keeps_the_working_directory()
    {
        var project = Folder("project", withSettings: true);

        ToolContentRoot.Choose([], project, Folder("bin", withSettings: true), NoEnvironment).Should().BeNull();
    }

    [Theory]
    [InlineData("--contentRoot=/somewhere")]
    [InlineData("--contentRoot")]
    public void A_content_root_given_on_the_command_line_is_left_to_the_framework(string argument)
    {
        ToolContentRoot.Choose([argument, "/somewhere"], Folder("anywhere", withSettings: false), Folder("tool", withSettings: true), NoEnvironment)
            .Should().BeNull();
    }

    [Fact]
    public void A_content_root_given_in_the_environment_is_left_to_the_framework()
    {
        ToolContentRoot.Choose([], Folder("anywhere", withSettings: false), Folder("tool", withSettings: true),
            name => name == "ASPNETCORE_CONTENTROOT" ? "/somewhere" : null).Should().BeNull();
    }

    public void Dispose() => _root.Delete(recursive: true);
}
