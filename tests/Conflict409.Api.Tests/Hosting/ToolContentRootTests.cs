using Conflict409.Api.Hosting;

namespace Conflict409.Api.Tests.Hosting;

public sealed class ToolContentRootTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("conflict409-content-root-");

    private string Folder(string name, bool installedTool)
    {
        var folder = _root.CreateSubdirectory(name).FullName;
        File.WriteAllText(Path.Combine(folder, "appsettings.json"), "{}");
        if (installedTool)
        {
            File.WriteAllText(Path.Combine(folder, ToolContentRoot.ToolSettingsFile), "<DotNetCliTool />");
        }

        return folder;
    }

    private static string? NoEnvironment(string name) => null;

    [Fact]
    public void An_installed_tool_uses_its_own_folder_wherever_it_is_started()
    {
        var tool = Folder("tool", installedTool: true);

        ToolContentRoot.Choose([], tool, NoEnvironment).Should().Be(tool);
    }

    [Fact]
    public void A_build_output_started_by_dotnet_run_or_a_test_keeps_the_frameworks_content_root()
    {
        ToolContentRoot.Choose([], Folder("bin", installedTool: false), NoEnvironment).Should().BeNull();
    }

    [Theory]
    [InlineData("--contentRoot=/somewhere")]
    [InlineData("--contentRoot")]
    public void A_content_root_given_on_the_command_line_is_left_to_the_framework(string argument)
    {
        ToolContentRoot.Choose([argument, "/somewhere"], Folder("tool", installedTool: true), NoEnvironment).Should().BeNull();
    }

    [Fact]
    public void A_content_root_given_in_the_environment_is_left_to_the_framework()
    {
        ToolContentRoot.Choose([], Folder("tool", installedTool: true), name => name == "ASPNETCORE_CONTENTROOT" ? "/somewhere" : null)
            .Should().BeNull();
    }

    public void Dispose() => _root.Delete(recursive: true);
}
