using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace BoxFusion.Tests
{
    /// <summary>
    /// Our comments are our own: no comment in src or tests repeats, word for word, a comment of the code whose
    /// behaviour we reproduce (pycocotools' cocoeval.py, mask.py and _mask.pyx, the COCO API's maskApi.c/.h, and
    /// ensemble-boxes 1.0.9). Those comments are held here only as hashes of their normalised words (lower case,
    /// letters and digits; "length:first 16 hex digits of SHA-256"), so their text is not copied into this repository.
    /// A comment block of ours fails if any run of its words has the same length and hash as one of theirs.
    /// </summary>
    public class OwnWordsTests
    {
        private static readonly string[] ReferenceCommentHashes =
        {
            "4:1ce4b2f5121c723a", "4:38dc400aa5d23621", "4:46f7f147beed916b", "4:4b38aac5adf97014", "4:4c76a97302e48562", "4:5853323f6f49ed15",
            "4:5b457c585bb0dd96", "4:63d720cf9b83d230", "4:8a43904bd3576a9b", "4:9b3b1f84fb7763e4", "4:ab824653d40c641a", "4:ad465ed546da10c0",
            "4:e9086721269e045f", "4:ea012d2c0cf2c7fb", "4:ed34200d5326fcff", "5:037821d0cfe0ff21", "5:05d8d3ed1f25980b", "5:09f4081d0675ea30",
            "5:0f30e7e374e47f0f", "5:17d9f0e8aed6d065", "5:1b24a29e6a3a60f5", "5:35c93696f228dc44", "5:37b683d05beae6dd", "5:40573e6ccc30a20c",
            "5:4730ff606c9f6a34", "5:5093d4dc43fa6a3d", "5:53da1f7cabf268eb", "5:675e4d89cfc3222b", "5:69538c40b29e5906", "5:8aa048b7bf6b3083",
            "5:8c9b180280500e4a", "5:9286df3c5d44b77a", "5:96c53bd27d531e53", "5:9c29d968ae8d4393", "5:9d6bc7311eb6c26a", "5:9e05618fa95bf79c",
            "5:c0569dbfadc9ae91", "5:c5b46058c58c3b89", "5:cd5738da1e8155f7", "5:d2a3b17c4b51453d", "5:e31d7b79b5b353f2", "6:004f9e3142ac6219",
            "6:07daebf3f58f6ec6", "6:0f6c51961e54a3fb", "6:180d90dfcb7fad64", "6:2a66e777ed9db234", "6:300f6d31387f9a7b", "6:305a8fe246671bf1",
            "6:38a4a77faf54df12", "6:442f84f968abdffe", "6:49498d9d3417fbe0", "6:57f9d8adb6d730f1", "6:58f098e9369f36c5", "6:5d4a92a6f85e0145",
            "6:6e4d83115b3c6310", "6:764f24525048c522", "6:85fe82238a54fa1e", "6:88722fddf47a1f97", "6:9c632bf3cd8a6ad0", "6:a7df48ef7f699ddc",
            "6:accfdf1a5a431103", "6:b29152fef8cb02ed", "6:b66bbb517d18af6f", "6:cf08d920efa172d2", "6:e20ee2714409afe5", "6:e234960228d4c3ef",
            "6:f4660bd4b67a7ad7", "7:2b16e672ae1cf129", "7:2bb6e41a73e7146d", "7:2f2eb14393a4405b", "7:325a490fa37cb117", "7:3760bb672d931a3b",
            "7:3f8db57fe2b80a63", "7:451a19ac6452af17", "7:4c0a68f4058ad889", "7:4f6500c2d14043d6", "7:57b42bebebd52de5", "7:630c9e2098097e17",
            "7:64860900f5e9296e", "7:79d12c6bb2d5b5d6", "7:7b20c992b57357db", "7:7b5c0137c7faf635", "7:852f835f705e0806", "7:9bc8c5f7cc577b89",
            "7:9ec5b68ff629f444", "7:9f6307b4ed33d410", "7:b090fe0df91961d2", "7:bb1f4115b778d38e", "7:bc1181ebde5eaf5c", "7:bc38b16ffbfcbc20",
            "7:bdde8f2463d0b3d2", "7:c3e7d959713bd7be", "7:cd550c77394f2f86", "7:ebf982dabd56c743", "7:ef22e257319c4ef2", "7:f0cfa84bad638262",
            "7:f89bc3965935d4f0", "8:03c5a2a12171d97b", "8:053381061e81ec84", "8:05c571bf61e5d3d3", "8:08e899e78967a2e3", "8:231107d26a16970d",
            "8:231fa40de5c3525c", "8:2ae7a02ae0e3ae76", "8:3c07a5c9e5fae47a", "8:3ebb953aeacf401c", "8:44ef8b5783844f9a", "8:574ef7b58228ec00",
            "8:5f710a8166d86e1e", "8:6369aa6807a24065", "8:64d2965101af57bd", "8:65d951445c432b6e", "8:692b5c6858117610", "8:76da78eb0039777f",
            "8:77fc66628acec9a4", "8:886d754e63f0b4a5", "8:8892dfc2843125a0", "8:95bc3cee72c17439", "8:9674fe1ffcd18d82", "8:9942f00357f15587",
            "8:a1f1c50f153ac508", "8:a4d8c474e5258bad", "8:a5f382b6b3485c0c", "8:aadd22f47fa36339", "8:adaeaaddf2a6ad73", "8:b672671105f9743a",
            "8:bfaedb48234e2a15", "8:d1fe2115c125272e", "8:dc9381922668517a", "9:021863740b16c08d", "9:0b6ea6faf0aaa2f5", "9:0bd2806e399aa4da",
            "9:0c1ada15d8c8dc0d", "9:29b36f282f66b911", "9:3d12700de8e18d56", "9:3d9e62bcb4f0bc38", "9:3e71700bf4ec4d1d", "9:43a94e3238a1a3f2",
            "9:5952c708f3fb9c8b", "9:5e44b03356b3f518", "9:5fcd34758e184aa5", "9:624629c29cc472cb", "9:664d3054b4725c16", "9:6b130aafb8ab62be",
            "9:71fcff474fff05d4", "9:7c15c778e56ecb04", "9:814f31ee9fef037f", "9:8664d9774a9c5f46", "9:8ae2b73800ad84b6", "9:9001b23eb84ec93e",
            "9:9a20e5b27499ec01", "9:a1df0266d691e3db", "9:ab07710a86595105", "9:b43df8c44a1a9653", "9:c64b52fe90484ca9", "9:cc92ac366c06aee0",
            "9:d6ce63893e9ec9c0", "9:d8f58f9ccff0472c", "9:dab175c0edfcdfc4", "9:e9bb1f1909efd72e", "9:f2ff5460c85009ac", "9:f811eec220aa61cc",
            "10:14bb02c2cd88aa7c", "10:4b4efcd6f899917f", "10:50c948ec5a8cabd4", "10:5a5ec9c05c137443", "10:6981573da3aaf4ff", "10:6d838230fe4845c0",
            "10:728d0871905b8b53", "10:75bb58da13f77069", "10:76b6eab64c90c39b", "10:77fe6c1135211c41", "10:7c6d35d42b203a9c", "10:8d61eafc2863825b",
            "10:8ecfe472704d17e1", "10:93766a413170a735", "10:a356be3384d371f2", "10:a5942b7e63979bd4", "10:a7d91d8de36ed093", "10:ab49c4b4a8486a3e",
            "10:ad3194483098eae4", "10:b0a144de1924ffd2", "10:b8f188c99ee5f6df", "10:c08dfb40615e0d75", "10:c201039d9693fb93", "10:c2b38604133b6e94",
            "10:d3a40fff784e5d63", "10:dc944264a0a76c1d", "10:e1631d7a2c88128d", "10:eb1a1650c03aaf85", "10:ed8078f9d29cc119", "10:f9b5ab8da094a8b5",
            "10:fcd33cdc62daf4bb", "10:fd91f2472811d47f", "11:21a0ea146cab251f", "11:262a8d1b6b0a5cc9", "11:30d6080e7ae29138", "11:36524fe3da41983a",
            "11:3a58ec7633dc6af3", "11:3ed9d6ab6d41abfa", "11:4c1daaea94d9648e", "11:4fc4956461fafd9e", "11:57a8e674869224b3", "11:71dd5d54afb1c3ab",
            "11:8b39ea3ea12b4f75", "11:99036130c12c0709", "11:99aac14eb7c70111", "11:9bfbdaa2b99850a4", "11:b4711f8c253fa094", "11:c42580babdf8298f",
            "11:daa985486cea2586", "11:e87d6ce835e65c30", "11:ff610281c1e6be72", "12:020a31eb5b72c742", "12:2df7f42d6184fe73", "12:3d8b7cba4fba27ac",
            "12:49554407fe5ebb19", "12:5a86aa308736fffe", "12:932335bb4ca28119", "12:9e4e9ff429e5724b", "12:a62f3ed24cb69f07", "12:bd4568176a2be14c",
            "12:c4b410255bcb237e", "12:d6c109f0052b1686", "12:d92e1b45155d1d7b", "12:db1f433ba163b7cc", "12:ef3b5fdf892f908f", "12:f5d2b02cb31a72bb",
            "12:f7fb12968cdfce97", "12:fa4fd0c5b5ddcddc", "12:fa69041446ca247f", "13:0431fb5ed93d6b98", "13:3df985b0d52d8248", "13:43b0cfdb4d9448f8",
            "13:5ebaf5561fa48058", "13:7b76b7a4f4084f20", "13:7f58151f763f3e20", "13:87d06965b312620c", "13:8f09379ddea1c2a1", "13:aa66071f5fa6d88b",
            "13:b11b8aba3f2e37f7", "13:b27b5a251fad2ec4", "13:b9a0d05023fca6a3", "13:bddfed7a77d57c22", "13:c59ec537c3983466", "13:cee393bc2fc5bf06",
            "13:d46c45c225fc5a46", "13:dc5f5a9b881ea090", "14:0d7e4332f1e64a95", "14:3734212a1ebd59ad", "14:7a65ed003cfc06b6", "14:e793944fbfb9de0c",
            "15:55858f95137374a2", "15:5a1413663b6491a5", "15:6ecef8aea4ff908d", "15:c487e407eeb07e80", "15:c74e46379289e3b1", "15:dd7b946765c1bdf5",
            "15:feb2401cbb92d8bc", "16:3060a712fe47e8bc", "16:6d92d26103a08bb8", "16:9457fd59d5d02eaf", "16:a173e13719030922", "16:c00e73560ebdc710",
            "16:cd095189ada3a2a0", "16:d81fdfe27cde9aa9", "16:f599518b072c0967", "17:1522b52df80955aa", "17:23364e4e31754c03", "17:2fc876480a048487",
            "17:3e7952b999689199", "17:49bcbbfe778bb077", "17:e49a97b4c4a5e65f", "18:f664d03c1aa62ee9", "22:803a0106811feefa", "22:ca530ab2f8ce4c7b",
            "41:95b79691a467234d",
        };

        [Fact]
        public void NoCommentRepeatsTheReferenceImplementationsWordForWord()
        {
            var byLength = new Dictionary<int, HashSet<string>>();
            foreach (string entry in ReferenceCommentHashes)
            {
                int colon = entry.IndexOf(':');
                int length = int.Parse(entry.AsSpan(0, colon), System.Globalization.CultureInfo.InvariantCulture);
                if (!byLength.TryGetValue(length, out var set)) byLength[length] = set = new HashSet<string>();
                set.Add(entry.Substring(colon + 1));
            }

            string root = RepositoryRoot();
            var copies = new List<string>();
            int checkedFiles = 0;
            foreach (string folder in new[] { "src", "tests" })
            {
                foreach (string file in Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories))
                {
                    string relative = Path.GetRelativePath(root, file).Replace('\\', '/');
                    if (relative.Contains("/bin/") || relative.Contains("/obj/")) continue;
                    checkedFiles++;
                    foreach (var (line, words) in CommentBlocks(File.ReadAllLines(file)))
                    {
                        foreach (var pair in byLength)
                        {
                            for (int start = 0; start + pair.Key <= words.Count; start++)
                            {
                                string run = string.Join(" ", words.Skip(start).Take(pair.Key));
                                if (pair.Value.Contains(Hash(run))) copies.Add(relative + ":" + line + ": \"" + run + "\"");
                            }
                        }
                    }
                }
            }
            Assert.True(checkedFiles > 20, "found only " + checkedFiles + " C# files under " + root);
            Assert.True(copies.Count == 0, "comments copied word for word; say what the code does in our own words:\n" + string.Join("\n", copies));
        }

        [Fact]
        public void TheCheckFindsACopiedComment()
        {
            // One of cocoeval.py's comments on the matching loop, as it would be pasted; the check must see it.
            // (The slashes are built so that this file's own scan does not read the string as a comment.)
            string slashes = new string('/', 2);
            var blocks = CommentBlocks(new[] { "x++; " + slashes + " If this GT already matched, and not a crowd: continue." }).ToList();
            string run = string.Join(" ", blocks[0].Words);
            Assert.Contains(run.Split(' ').Length + ":" + Hash(run), ReferenceCommentHashes);
        }

        /// <summary>Consecutive lines with a // comment form one block (a sentence may wrap); its normalised words.</summary>
        private static IEnumerable<(int Line, List<string> Words)> CommentBlocks(string[] lines)
        {
            List<string> words = null;
            int first = 0;
            for (int i = 0; i <= lines.Length; i++)
            {
                int at = i < lines.Length ? lines[i].IndexOf("//", StringComparison.Ordinal) : -1;
                if (at < 0)
                {
                    if (words != null) yield return (first + 1, words);
                    words = null;
                    continue;
                }
                if (words == null) { words = new List<string>(); first = i; }
                words.AddRange(Normalise(lines[i].Substring(at).TrimStart('/')));
            }
        }

        private static string[] Normalise(string text) =>
            Regex.Replace(text.ToLowerInvariant(), "[^a-z0-9]+", " ").Split(' ', StringSplitOptions.RemoveEmptyEntries);

        private static string Hash(string run)
        {
            byte[] digest = SHA256.HashData(Encoding.UTF8.GetBytes(run));
            return Convert.ToHexString(digest, 0, 8).ToLowerInvariant();
        }

        private static string RepositoryRoot()
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory != null && !File.Exists(Path.Combine(directory.FullName, "BoxFusion.psd1"))) directory = directory.Parent;
            Assert.True(directory != null, "BoxFusion.psd1 not found above " + AppContext.BaseDirectory);
            return directory.FullName;
        }
    }
}
