using BoxFusion.Json;

namespace BoxFusion.Tests
{
    /// <summary>
    /// Damaged masks in results files: the fast path and the Utf8JsonReader path must agree record by record
    /// (same good records, same masks, same skipped counts per reason), and nothing but a ResultFileException escapes.
    /// </summary>
    public class MaskFuzzTests
    {
        private static (List<Detection> Good, Dictionary<RecordProblem, long> Skipped, string FileError) Read(string json)
        {
            var good = new List<Detection>();
            using var reader = new CocoResultReader(new MemoryStream(Encoding.UTF8.GetBytes(json)), "fuzz", "m", false, 4096, 1 << 24);
            string fileError = null;
            try
            {
                while (reader.TryRead(out var d)) good.Add(d);
            }
            catch (ResultFileException e)
            {
                fileError = e.Problem.ToString();
            }
            return (good, reader.Skipped.Entries.ToDictionary(e => e.Problem, e => e.Count), fileError);
        }

        [Fact]
        public void FastAndSlowPathsAgreeOnDamagedMasks()
        {
            var lines = File.ReadAllLines(FixtureRuns.DataPath("case-m", "model2.json"));
            string text = string.Join("\n", lines);
            var random = new Random(2024);
            const string Alphabet = "0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz\\\\\" {}[],";
            int damagedRecords = 0;
            for (int c = 0; c < 300; c++)
            {
                var chars = text.ToCharArray().ToList();
                int edits = random.Next(1, 6);
                for (int e = 0; e < edits; e++)
                {
                    // Aim at a compressed string, the size, or anywhere in the segmentation object.
                    int at = text.IndexOf("\"counts\": \"", random.Next(text.Length / 2), StringComparison.Ordinal);
                    if (at < 0) at = text.IndexOf("\"counts\": \"", StringComparison.Ordinal);
                    at += random.Next(-30, 200);
                    if (at < 1 || at >= chars.Count - 2) continue;
                    switch (random.Next(4))
                    {
                        case 0: chars[at] = Alphabet[random.Next(Alphabet.Length)]; break;
                        case 1: chars.RemoveAt(at); break;
                        case 2: chars.Insert(at, Alphabet[random.Next(Alphabet.Length)]); break;
                        default: chars[at] = (char)random.Next(48, 112); break;
                    }
                }
                string mutated = new string(chars.ToArray());
                string slow = mutated.Replace("{\"image_id\"", "{\"extra\": 0, \"image_id\"");
                var a = Read(mutated);
                var b = Read(slow);
                if (a.FileError != null || b.FileError != null)
                {
                    // The inserted key moves byte offsets but not the verdict.
                    Assert.Equal(a.FileError, b.FileError);
                    continue;
                }
                Assert.Equal(b.Skipped.OrderBy(p => p.Key), a.Skipped.OrderBy(p => p.Key));
                Assert.Equal(b.Good.Count, a.Good.Count);
                for (int i = 0; i < a.Good.Count; i++)
                {
                    Assert.Equal(b.Good[i].ToString(), a.Good[i].ToString());
                    Assert.Equal(b.Good[i].Mask, a.Good[i].Mask);
                    if (a.Good[i].Mask != null) Assert.Equal((long)a.Good[i].Mask.Height * a.Good[i].Mask.Width, a.Good[i].Mask.GetCounts().Sum(x => (long)x));
                }
                damagedRecords += a.Skipped.Values.Sum() > 0 ? 1 : 0;
            }
            Assert.True(damagedRecords > 50, damagedRecords + " cases skipped a record");
        }
    }
}
