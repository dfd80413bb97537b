using BoxFusion.Coco;

namespace BoxFusion.Tests
{
    /// <summary>CocoGroundTruth: streaming load, image lookup, and the errors for bad files.</summary>
    public sealed class GroundTruthTests : IDisposable
    {
        private readonly string dir = Path.Combine(Path.GetTempPath(), "boxfusion-gt-" + Guid.NewGuid().ToString("N"));

        public GroundTruthTests() => Directory.CreateDirectory(dir);

        public void Dispose()
        {
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }

        private static string Data(params string[] parts) => Path.Combine(new[] { AppContext.BaseDirectory, "data" }.Concat(parts).ToArray());

        private string Write(string name, string text, bool bom = false)
        {
            string path = Path.Combine(dir, name);
            File.WriteAllText(path, text, new UTF8Encoding(bom));
            return path;
        }

        private const string OneImage = "{\"images\":[{\"id\":1,\"file_name\":\"a.jpg\",\"width\":640,\"height\":480}],";

        [Fact]
        public void LoadsCocoFake100()
        {
            string path = Data("coco-fake100", "instances_val2014_100.json");
            var gt = CocoGroundTruth.Load(path);
            Assert.Equal(path, gt.Path);
            Assert.Equal(100, gt.Images.Count);
            Assert.Equal(839, gt.Annotations.Count);
            Assert.Equal(80, gt.Categories.Count);
            Assert.Equal(9, gt.Annotations.Count(a => a.IsCrowd));
            Assert.All(gt.Images, im => Assert.IsType<long>(im.Id));
            Assert.Equal(Enumerable.Range(0, 100), gt.Images.Select(im => im.Index));
            Assert.All(gt.Images, im => Assert.True(im.Width > 0 && im.Height > 0 && im.FileName.EndsWith(".jpg", StringComparison.Ordinal)));
            Assert.Contains(gt.Categories, c => c.Id == 1 && c.Name == "person" && c.Supercategory == "person");
        }

        [Theory]
        [InlineData(4)]
        [InlineData(7)]
        [InlineData(64)]
        [InlineData(1000)]
        public void TinyBuffersGiveTheSameResult(int bufferSize)
        {
            foreach (var path in new[] { Data("coco-fake100", "instances_val2014_100.json"), Data("case-b", "gt.json") })
            {
                var expected = CocoGroundTruth.Load(path);
                var actual = CocoGroundTruthReader.Read(path, imagesOnly: false, bufferSize: bufferSize);
                Assert.Equal(Describe(expected), Describe(actual));
            }
        }

        private static string Describe(CocoGroundTruth gt)
        {
            var sb = new StringBuilder();
            foreach (var im in gt.Images) sb.Append(im.Id).Append('|').Append(im.FileName).Append('|').Append(im.Width).Append('|').Append(im.Height).Append('|').Append(im.Index).Append('\n');
            foreach (var a in gt.Annotations)
                sb.AppendFormat(System.Globalization.CultureInfo.InvariantCulture, "{0}|{1}|{2}|{3:R}|{4:R}|{5:R}|{6:R}|{7:R}|{8}|{9}\n",
                    a.Id, a.ImageId, a.CategoryId, a.X, a.Y, a.Width, a.Height, a.Area, a.IsCrowd, a.Ignore);
            foreach (var c in gt.Categories) sb.Append(c.Id).Append('|').Append(c.Name).Append('|').Append(c.Supercategory).Append('\n');
            return sb.ToString();
        }

        [Fact]
        public void LoadImagesOnlySkipsAnnotations()
        {
            var full = CocoGroundTruth.Load(Data("case-a", "gt.json"));
            var images = CocoGroundTruth.LoadImagesOnly(Data("case-a", "gt.json"));
            Assert.Empty(images.Annotations);
            Assert.Equal(full.Images.Select(i => (i.Id, i.FileName, i.Width, i.Height)), images.Images.Select(i => (i.Id, i.FileName, i.Width, i.Height)));
            Assert.Equal(full.Categories.Count, images.Categories.Count);
        }

        [Fact]
        public void AcceptsBomSkipsUnknownKeysAndAppliesDefaults()
        {
            string path = Write("bom.json",
                "{\"info\":{\"a\":[1,{\"b\":null}],\"c\":\"d\"},\"licenses\":[{\"id\":1}]," +
                "\"images\":[{\"id\":\"x\",\"file_name\":null,\"width\":10.5,\"height\":20,\"extra\":{\"deep\":[[[]]]}}]," +
                "\"annotations\":[{\"segmentation\":[[1,2,3,4,5,6]],\"image_id\":\"x\",\"category_id\":3,\"bbox\":[1,2,3,4]}," +
                "{\"id\":0,\"image_id\":\"x\",\"category_id\":3,\"bbox\":[0,0,2,2],\"area\":99.5,\"iscrowd\":1,\"ignore\":true}]," +
                "\"categories\":[{\"id\":3,\"name\":\"thing\"}]}", bom: true);
            var gt = CocoGroundTruth.Load(path);
            var image = Assert.Single(gt.Images);
            Assert.Equal("x", image.Id);
            Assert.Null(image.FileName);
            Assert.Equal(10.5, image.Width);
            var a = gt.Annotations[0];
            Assert.Equal(1L, a.Id);              // no id: position + 1
            Assert.Equal(12.0, a.Area);          // no area: w * h
            Assert.False(a.IsCrowd);
            Assert.False(a.Ignore);
            var b = gt.Annotations[1];
            Assert.Equal(0L, b.Id);
            Assert.Equal(99.5, b.Area);          // the file's area wins
            Assert.True(b.IsCrowd);
            Assert.True(b.Ignore);
            Assert.Null(gt.Categories[0].Supercategory);
        }

        [Fact]
        public void TryFindImageMatchesIdsAndFileNames()
        {
            var gt = new CocoGroundTruth(new[]
            {
                new CocoImage(7L, "7.jpg", 100, 100, 0),
                new CocoImage(8L, "cat.png", 100, 100, 1),
                new CocoImage("dog", "other.png", 100, 100, 2),
                new CocoImage("9", "nine.png", 100, 100, 3),
                new CocoImage(9L, "nine-number.png", 100, 100, 4),
                new CocoImage(1L, "0005.jpg", 100, 100, 5),
                new CocoImage(42L, null, 100, 100, 6),
                new CocoImage(10L, "val/pic.JPG", 100, 100, 7),
            }, Array.Empty<CocoAnnotation>(), Array.Empty<CocoCategory>());
            CocoImage image;
            Assert.True(gt.TryFindImage(7L, out image)); Assert.Equal(0, image.Index);
            Assert.True(gt.TryFindImage(7, out image)); Assert.Equal(0, image.Index);       // an int is normalised
            Assert.True(gt.TryFindImage("7.jpg", out image)); Assert.Equal(0, image.Index); // exact file name
            Assert.True(gt.TryFindImage("7", out image)); Assert.Equal(0, image.Index);     // file name without extension
            Assert.True(gt.TryFindImage("dog", out image)); Assert.Equal(2, image.Index);   // a string id
            Assert.True(gt.TryFindImage("9", out image)); Assert.Equal(3, image.Index);     // a string id, never the number 9
            Assert.True(gt.TryFindImage("42", out image)); Assert.Equal(6, image.Index);    // an image without file name is named by its id
            Assert.True(gt.TryFindImage("pic.JPG", out image)); Assert.Equal(7, image.Index); // the name without its folder
            Assert.True(gt.TryFindImage("PIC", out image)); Assert.Equal(7, image.Index);   // ... and without extension, in any case
            Assert.False(gt.TryFindImage("8", out image));     // text is never parsed as a number: 8 is cat.png
            Assert.False(gt.TryFindImage("1", out image));     // image 1 is 0005.jpg
            Assert.False(gt.TryFindImage("0001", out image));
            Assert.False(gt.TryFindImage("0005.png", out image));
            Assert.False(gt.TryFindImage("missing.jpg", out image));
            Assert.False(gt.TryFindImage(12L, out image));
            Assert.False(gt.TryFindImage(null, out image));
            Assert.Throws<ArgumentException>(() => new CocoGroundTruth(
                new[] { new CocoImage(1L, "a", 1, 1, 0), new CocoImage(1, "b", 1, 1, 1) }, null, null));
        }

        /// <summary>The ambiguity error: its type, the id and every candidate, named in the message.</summary>
        private static Exception Ambiguous(CocoGroundTruth gt, object id, params string[] candidates)
        {
            var ex = Assert.ThrowsAny<Exception>(() => gt.TryFindImage(id, out _));
            Assert.Equal("AmbiguousImageIdException", ex.GetType().Name);
            Assert.Contains(ImageIds.Describe(id), ex.Message);
            foreach (var c in candidates) Assert.Contains(c, ex.Message);
            return ex;
        }

        [Fact]
        public void AnAmbiguousNameIsAnErrorListingTheCandidates()
        {
            var gt = new CocoGroundTruth(new[]
            {
                new CocoImage(1L, "train/000001.jpg", 100, 100, 0),
                new CocoImage(2L, "val/000001.jpg", 100, 100, 1),
                new CocoImage(3L, "IMG.jpg", 100, 100, 2),
                new CocoImage(4L, "img.png", 100, 100, 3),
                new CocoImage(5L, "same.jpg", 100, 100, 4),
                new CocoImage(6L, "same.jpg", 100, 100, 5),
                new CocoImage("x.jpg", "a.jpg", 100, 100, 6),
                new CocoImage(7L, "x.jpg", 100, 100, 7),
            }, Array.Empty<CocoAnnotation>(), Array.Empty<CocoCategory>());
            Ambiguous(gt, "000001.jpg", "train/000001.jpg", "val/000001.jpg");
            Ambiguous(gt, "000001", "train/000001.jpg", "val/000001.jpg");
            Ambiguous(gt, "img", "IMG.jpg", "img.png");           // YOLO's img.txt
            Ambiguous(gt, "same.jpg", "5", "6");                   // built in memory with one file name twice
            Ambiguous(gt, "x.jpg", "a.jpg", "7");                  // one image's id, another's file name
            Assert.True(gt.TryFindImage("train/000001.jpg", out var image)); Assert.Equal(1L, image.Id); // the full name is exact
            Assert.True(gt.TryFindImage("IMG.jpg", out image)); Assert.Equal(3L, image.Id);
            Assert.True(gt.TryFindImage(5L, out image)); Assert.Equal(5L, image.Id);
        }

        [Fact]
        public void CaseBStringIdsResolveThroughFileNames()
        {
            var gt = CocoGroundTruth.Load(Data("case-b", "gt.json"));
            Assert.True(gt.TryFindImage("7.jpg", out var image));
            Assert.Equal(7L, image.Id);
        }

        private CocoFormatException Bad(string name, string text)
        {
            string path = Write(name, text);
            var ex = Assert.Throws<CocoFormatException>(() => CocoGroundTruth.Load(path));
            Assert.Equal(path, ex.FilePath);
            Assert.Contains(path, ex.Message);
            Assert.True(ex.BytePosition >= 0, "byte position: " + ex.Message);
            Assert.Contains("byte " + ex.BytePosition, ex.Message);
            return ex;
        }

        [Fact]
        public void TruncatedFileNamesFileAndPosition()
        {
            string text = OneImage + "\"annotations\":[{\"id\":1,\"image_id\":1,\"category_id\":1,\"bbox\":[1,2,3";
            var ex = Bad("truncated.json", text);
            Assert.Equal("annotations", ex.Section);
            Assert.Equal(0, ex.RecordIndex);
            Assert.Contains("annotations[0]", ex.Message);
            Assert.Contains("truncated", ex.Message);
            Assert.True(ex.BytePosition > text.Length - 10);
        }

        [Fact]
        public void TopLevelArrayIsRejected()
        {
            var ex = Bad("array.json", "[{\"id\":1}]");
            Assert.Equal(0, ex.BytePosition);
            Assert.Equal(-1, ex.RecordIndex);
            Assert.Contains("top level must be a JSON object", ex.Message);
        }

        [Fact]
        public void BboxOfThreeNumbersNamesTheRecord()
        {
            string text = OneImage + "\"annotations\":[{\"id\":1,\"image_id\":1,\"category_id\":1,\"bbox\":[1,2,3,4]}," +
                "{\"id\":2,\"image_id\":1,\"category_id\":1,\"bbox\":[1,2,3]}],\"categories\":[]}";
            var ex = Bad("bbox3.json", text);
            Assert.Equal("annotations", ex.Section);
            Assert.Equal(1, ex.RecordIndex);
            Assert.Contains("annotations[1]", ex.Message);
            Assert.Contains("3 numbers", ex.Message);
            Assert.Equal(text.IndexOf("{\"id\":2", StringComparison.Ordinal), ex.BytePosition);
        }

        [Theory]
        [InlineData("notjson.json", "this is not json", null, -1, "not valid JSON")]
        [InlineData("empty.json", "", null, -1, "not valid JSON")]
        [InlineData("noid.json", "{\"images\":[{\"width\":1,\"height\":1}]}", "images", 0, "no 'id'")]
        [InlineData("nowidth.json", "{\"images\":[{\"id\":1,\"height\":1}]}", "images", 0, "no 'width'")]
        [InlineData("noheight.json", "{\"images\":[{\"id\":1,\"width\":1},{\"id\":2,\"width\":1}]}", "images", 0, "no 'height'")]
        [InlineData("negwidth.json", "{\"images\":[{\"id\":1,\"width\":5,\"height\":5},{\"id\":2,\"width\":-5,\"height\":5}]}", "images", 1, "positive finite")]
        [InlineData("zeroheight.json", "{\"images\":[{\"id\":1,\"width\":5,\"height\":0}]}", "images", 0, "positive finite")]
        [InlineData("hugewidth.json", "{\"images\":[{\"id\":1,\"width\":1e999,\"height\":5}]}", "images", 0, "width")]
        [InlineData("strwidth.json", "{\"images\":[{\"id\":1,\"width\":\"5\",\"height\":5}]}", "images", 0, "'width' must be a number")]
        [InlineData("dupimage.json", "{\"images\":[{\"id\":1,\"width\":5,\"height\":5},{\"id\":1,\"width\":5,\"height\":5}]}", "images", 1, "duplicate image id 1")]
        [InlineData("floatid.json", "{\"images\":[{\"id\":1.5,\"width\":5,\"height\":5}]}", "images", 0, "'id' must be an integer or a string; found 1.5")]
        [InlineData("imagestwice.json", "{\"images\":[{\"id\":1,\"width\":5,\"height\":5}],\"images\":[{\"id\":2,\"width\":5,\"height\":5}]}", "images", -1, "'images' appears twice")]
        [InlineData("imagestwicesame.json", "{\"images\":[{\"id\":1,\"width\":5,\"height\":5}],\"images\":[{\"id\":1,\"width\":5,\"height\":5}]}", "images", -1, "'images' appears twice")]
        [InlineData("annotationstwice.json", OneImage + "\"annotations\":[],\"categories\":[],\"annotations\":[]}", "annotations", -1, "'annotations' appears twice")]
        [InlineData("categoriestwice.json", "{\"categories\":[],\"images\":[],\"categories\":[]}", "categories", -1, "'categories' appears twice")]
        [InlineData("dupfilename.json", "{\"images\":[{\"id\":1,\"file_name\":\"a.jpg\",\"width\":5,\"height\":5},{\"id\":2,\"file_name\":\"a.jpg\",\"width\":5,\"height\":5}]}", "images", 1, "file_name \"a.jpg\" is also the file_name of images[0] (id 1)")]
        [InlineData("dupimagelater.json", "{\"images\":[{\"id\":1,\"width\":5,\"height\":5},{\"id\":2,\"width\":5,\"height\":5},{\"id\":1.0,\"width\":5,\"height\":5}]}", "images", 2, "duplicate image id 1 (also images[0])")]
        [InlineData("noimageid.json", OneImage + "\"annotations\":[{\"category_id\":1,\"bbox\":[1,2,3,4]}]}", "annotations", 0, "no 'image_id'")]
        [InlineData("nocat.json", OneImage + "\"annotations\":[{\"image_id\":1,\"bbox\":[1,2,3,4]}]}", "annotations", 0, "no 'category_id'")]
        [InlineData("nobbox.json", OneImage + "\"annotations\":[{\"image_id\":1,\"category_id\":1}]}", "annotations", 0, "no 'bbox'")]
        [InlineData("bbox5.json", OneImage + "\"annotations\":[{\"image_id\":1,\"category_id\":1,\"bbox\":[1,2,3,4,5]}]}", "annotations", 0, "5 numbers")]
        [InlineData("bboxstr.json", OneImage + "\"annotations\":[{\"image_id\":1,\"category_id\":1,\"bbox\":[1,\"2\",3,4]}]}", "annotations", 0, "'bbox' must be an array of 4")]
        [InlineData("bboxobj.json", OneImage + "\"annotations\":[{\"image_id\":1,\"category_id\":1,\"bbox\":{}}]}", "annotations", 0, "'bbox' must be an array")]
        [InlineData("imagesobj.json", "{\"images\":{}}", "images", -1, "'images' must be an array")]
        [InlineData("noimages.json", "{\"annotations\":[]}", null, -1, "no 'images'")]
        // A JSON token is named as in the results reader's messages ("a list"): a results file given as ground truth.
        [InlineData("toplist.json", "[{\"image_id\":1,\"category_id\":1,\"bbox\":[1,2,3,4],\"score\":0.5}]", null, -1, "must be a JSON object with 'images', 'annotations' and 'categories'; found a list.")]
        [InlineData("filenamelist.json", "{\"images\":[{\"id\":1,\"file_name\":[\"a.jpg\"],\"width\":5,\"height\":5}]}", "images", 0, "'file_name' must be a string; found a list.")]
        [InlineData("trailing.json", "{\"images\":[]} {}", null, -1, "not valid JSON")]
        [InlineData("dupcat.json", "{\"images\":[],\"categories\":[{\"id\":1},{\"id\":1}]}", "categories", 1, "duplicate category id 1")]
        public void BadFilesAreReported(string name, string text, string section, int record, string fragment)
        {
            string path = Write(name, text);
            var ex = Assert.Throws<CocoFormatException>(() => CocoGroundTruth.Load(path));
            Assert.Equal(path, ex.FilePath);
            Assert.Contains(path, ex.Message);
            Assert.Equal(section, ex.Section);
            Assert.Equal(record, ex.RecordIndex);
            if (record >= 0) Assert.Contains(section + "[" + record + "]", ex.Message);
            Assert.Contains(fragment, ex.Message);
            if (name != "noimages.json") Assert.True(ex.BytePosition >= 0);
        }

        [Theory]
        [InlineData(65)]
        [InlineData(990)] // about as deep as Python's json reads
        public void DeepNestingInKeysItDoesNotUseIsRead(int depth)
        {
            string deep = new string('[', depth) + new string(']', depth);
            string text = "{\"info\":" + deep + ",\"images\":[{\"id\":1,\"extra\":" + deep + ",\"width\":640,\"height\":480}]," +
                "\"annotations\":[{\"id\":1,\"image_id\":1,\"category_id\":1,\"segmentation\":" + deep + ",\"bbox\":[1,2,3,4]}]," +
                "\"categories\":[{\"id\":1,\"name\":\"a\",\"keypoints\":" + deep + "}]}";
            string path = Write("deep.json", text);
            foreach (int bufferSize in new[] { 0, 64 })
            {
                foreach (bool imagesOnly in new[] { false, true })
                {
                    var gt = CocoGroundTruthReader.Read(path, imagesOnly, bufferSize);
                    Assert.Single(gt.Images);
                    Assert.Equal(imagesOnly ? 0 : 1, gt.Annotations.Count);
                    Assert.Single(gt.Categories);
                }
            }
        }

        [Fact]
        public void NestingBeyondTheLimitIsNamedNotCalledTruncated()
        {
            string text = OneImage + "\"info\":" + new string('[', 5000) + new string(']', 5000) + ",\"annotations\":[]}";
            var ex = Bad("toodeep.json", text);
            Assert.Contains("nested more than", ex.Message);
            Assert.DoesNotContain("truncated", ex.Message);
        }

        [Fact]
        public void EveryTruncationIsACocoFormatException()
        {
            byte[] bytes = File.ReadAllBytes(Data("case-b", "gt.json"));
            int end = bytes.Length;
            while (end > 0 && (bytes[end - 1] == (byte)'\n' || bytes[end - 1] == (byte)' ' || bytes[end - 1] == (byte)'\r')) end--;
            string path = Path.Combine(dir, "cut.json");
            for (int length = 0; length < end; length += length < 400 ? 1 : 37)
            {
                File.WriteAllBytes(path, bytes.Take(length).ToArray());
                foreach (bool imagesOnly in new[] { false, true })
                {
                    var ex = Assert.Throws<CocoFormatException>(() => CocoGroundTruthReader.Read(path, imagesOnly, bufferSize: 64));
                    Assert.Contains(path, ex.Message);
                    Assert.True(ex.BytePosition >= 0 && ex.BytePosition <= length, length + ": " + ex.Message);
                }
            }
        }
    }
}
