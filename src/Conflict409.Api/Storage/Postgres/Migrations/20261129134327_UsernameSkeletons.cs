using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Conflict409.Api.Storage.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class UsernameSkeletons : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Skeleton",
                table: "Users",
                type: "text",
                nullable: false,
                defaultValue: "",
                collation: "C");

            // Users registered before skeletons existed keep their key as skeleton: unique, as the keys are, so the
            // index can be built; a look-alike pair among them (if any) stays, new ones are refused from here on.
            migrationBuilder.Sql("""UPDATE "Users" SET "Skeleton" = "Key";""");

            migrationBuilder.CreateIndex(
                name: "IX_Users_Skeleton",
                table: "Users",
                column: "Skeleton",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Users_Skeleton",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "Skeleton",
                table: "Users");
        }
    }
}
