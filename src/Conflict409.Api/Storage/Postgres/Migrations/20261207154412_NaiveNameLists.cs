using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Conflict409.Api.Storage.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class NaiveNameLists : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "NaiveLists",
                columns: table => new
                {
                    Client = table.Column<string>(type: "text", nullable: false),
                    LastUsed = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NaiveLists", x => x.Client);
                });

            migrationBuilder.CreateTable(
                name: "NaiveNames",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Client = table.Column<string>(type: "text", nullable: false),
                    Key = table.Column<string>(type: "text", nullable: false),
                    Username = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NaiveNames", x => x.Id);
                    table.ForeignKey(
                        name: "FK_NaiveNames_NaiveLists_Client",
                        column: x => x.Client,
                        principalTable: "NaiveLists",
                        principalColumn: "Client",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_NaiveLists_LastUsed",
                table: "NaiveLists",
                column: "LastUsed");

            migrationBuilder.CreateIndex(
                name: "IX_NaiveNames_Client_Key",
                table: "NaiveNames",
                columns: new[] { "Client", "Key" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "NaiveNames");

            migrationBuilder.DropTable(
                name: "NaiveLists");
        }
    }
}
