# Reading JSON at its edges (deep nesting, leading zeros, keys given twice, ground truth with a section or a file name
# twice) and the one rule that turns a text image id into a ground-truth image, as a user meets them: the ErrorId,
# category, target and a message naming the file and the record, or the right result.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ModuleUnderTest
    $script:Folder = New-TestFolder
    $script:Good = '{"image_id": 1, "category_id": 2, "bbox": [10, 20, 30, 40], "score": 0.9}'

    function New-TextFile([string] $Text, [string] $Name) { New-TestFile $script:Folder -Text $Text -Name $Name }

    # A ground truth from image records (id, file_name) of 100 x 100 pixels, one box on each image, category 1.
    function New-GroundTruth([object[]] $Images) {
        $imgs = foreach ($i in $Images) { [ordered]@{ id = $i[0]; file_name = $i[1]; width = 100; height = 100 } }
        $n = 0
        $anns = foreach ($i in $Images) { $n++; [ordered]@{ id = $n; image_id = $i[0]; category_id = 1; bbox = @(10, 10, 20, 20); area = 400; iscrowd = 0 } }
        New-TextFile (ConvertTo-Json -Depth 5 -Compress @{ images = @($imgs); annotations = @($anns); categories = @(@{ id = 1; name = 'thing' }) })
    }

    function New-Box($ImageId, [double] $X = 10) { [BoxFusion.Detection]::new($ImageId, 1, 0.9, $X, 10, 20, 20, 'm') }
}

AfterAll {
    Remove-Item -LiteralPath $script:Folder -Recurse -Force -ErrorAction Ignore
}

Describe 'Results files at the edges of JSON' {
    It 'reads valid JSON nested deeper than 64 levels in a key it does not use' {
        $deep = ('[' * 500) + ']' * 500
        $path = New-TextFile "[$Good, {`"keypoints`": $deep, `"image_id`": 2, `"category_id`": 3, `"bbox`": [1, 2, 3, 4], `"score`": 0.5}]"
        $d = Import-Detection -LiteralPath $path -ErrorVariable errs
        $errs | Should -BeNullOrEmpty
        $d.ImageId | Should -Be 1, 2
    }

    It 'names nesting beyond 1000 levels: ResultFileNestedTooDeep, not invalid or truncated' {
        $deep = ('[' * 2000) + ']' * 2000
        $path = New-TextFile "[$Good, {`"image_id`": 2, `"extra`": $deep, `"category_id`": 3, `"bbox`": [1, 2, 3, 4], `"score`": 0.5}]"
        $d = Import-Detection -LiteralPath $path -ErrorVariable errs -ErrorAction SilentlyContinue
        @($d).Count | Should -Be 1
        Assert-SingleError $errs -Id 'ResultFileNestedTooDeep,BoxFusion.Commands.ImportDetectionCommand' -Category 'InvalidData' -Target $path
        "$($errs[0])" | Should -BeLike "'$path' (record 1, byte *): the JSON is nested more than 1000 levels deep*"
        "$($errs[0])" | Should -Not -BeLike '*truncated*'
    }

    It 'fails a number with a leading zero (<Number>) as invalid JSON, whatever its length' -ForEach @(
        @{ Number = '01234' }
        @{ Number = '0123456789012345678901234' }
        @{ Number = '-0123456789012345678901234.5' }
    ) {
        $path = New-TextFile "[$Good, {`"image_id`": 1, `"category_id`": 2, `"bbox`": [$Number, 20, 30, 40], `"score`": 0.5}]"
        $d = Import-Detection -LiteralPath $path -ErrorVariable errs -ErrorAction SilentlyContinue
        @($d).Count | Should -Be 1
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be 'ResultFileNotJson,BoxFusion.Commands.ImportDetectionCommand'
        $errs[0].TargetObject | Should -Be $path
        "$($errs[0])" | Should -BeLike "'$path' (record 1, byte *): invalid JSON near '$($Number.Substring(0, 5))*"
    }

    It 'skips a record with a key given twice (<Key>), naming the key' -ForEach @(
        @{ Key = 'score'; Value = '0.1' }
        @{ Key = 'image_id'; Value = '7' }
        @{ Key = 'bbox'; Value = '[1, 2, 3, 4]' }
    ) {
        $twice = $Good.TrimEnd('}') + ", `"$Key`": $Value}"
        $path = New-TextFile "[$Good, $twice, $Good]"
        $d = Import-Detection -LiteralPath $path -ErrorVariable errs -ErrorAction SilentlyContinue
        @($d).Count | Should -Be 2
        Assert-SingleError $errs -Id 'SkippedRecordsDuplicateKey,BoxFusion.Commands.ImportDetectionCommand' -Category 'InvalidData' -Target $path
        "$($errs[0])" | Should -Be "'$path': 1 record skipped (DuplicateKey); first: record 1: '$Key' is given twice."
    }
}

Describe 'Ground truth and image info that cannot be read unambiguously' {
    BeforeAll {
        $detections = New-Box 1
        $image = '{"id": 1, "file_name": "a.jpg", "width": 100, "height": 100}'
    }

    It '<Name>: GroundTruthInvalid and ImageInfoInvalid, naming the file and the place' -ForEach @(
        @{ Name = '"images" twice'; Text = '{"images": [{"id": 1, "width": 100, "height": 100}], "images": [{"id": 2, "width": 50, "height": 50}]}'; Like = "*images at byte 53: 'images' appears twice*" }
        @{ Name = '"images" twice with the same ids'; Text = '{"images": [{"id": 1, "width": 100, "height": 100}], "images": [{"id": 1, "width": 50, "height": 50}]}'; Like = "*'images' appears twice*" }
        @{ Name = 'a duplicate image id, one written 1.0'; Text = '{"images": [{"id": 1, "width": 100, "height": 100}, {"id": 1.0, "width": 50, "height": 50}]}'; Like = '*images`[1`] at byte 52: duplicate image id 1 (also images`[0`])*' }
        @{ Name = 'an image id 1.5'; Text = '{"images": [{"id": 1.5, "width": 100, "height": 100}]}'; Like = "*images``[0``] at byte 19: 'id' must be an integer or a string; found 1.5.*" }
        @{ Name = 'two images with one file_name'; Text = '{"images": [{"id": 1, "file_name": "a.jpg", "width": 100, "height": 100}, {"id": 2, "file_name": "a.jpg", "width": 50, "height": 50}]}'; Like = '*images`[1`] at byte *: file_name "a.jpg" is also the file_name of images`[0`] (id 1)*' }
    ) {
        $path = New-TextFile $Text
        $e = { $detections | Measure-Detection -GroundTruth $path -ErrorAction SilentlyContinue } | Should -Throw -ErrorId 'GroundTruthInvalid,BoxFusion.Commands.MeasureDetectionCommand' -PassThru
        $e.CategoryInfo.Category | Should -Be 'InvalidData'
        $e.TargetObject | Should -Be $path
        $e.Exception | Should -BeOfType BoxFusion.Commands.BoxFusionException
        "$e" | Should -BeLike "-GroundTruth: Invalid COCO file '$path':*"
        "$e" | Should -BeLike $Like
        Assert-NoStackTrace $e
        $e = { $detections | Merge-Detection -ImageInfo $path -ErrorAction SilentlyContinue } | Should -Throw -ErrorId 'ImageInfoInvalid,BoxFusion.Commands.MergeDetectionCommand' -PassThru
        "$e" | Should -BeLike $Like
    }

    It 'reads a ground truth with deep nesting in info and segmentation' {
        $deep = ('[' * 300) + ']' * 300
        $path = New-TextFile "{`"info`": $deep, `"images`": [$image], `"annotations`": [{`"id`": 1, `"image_id`": 1, `"category_id`": 1, `"segmentation`": $deep, `"bbox`": [10, 10, 20, 20]}], `"categories`": [{`"id`": 1}]}"
        ($detections | Measure-Detection -GroundTruth $path).AP | Should -BeGreaterThan 0.999 # 1/(1+eps), as pycocotools
    }
}

Describe 'Text image ids match ground-truth images by file name, never as numbers' {
    It 'does not read "0001" as image 1 (whose file is 0005.jpg): ImageNotInGroundTruth' {
        $gt = New-GroundTruth @(, @(1, '0005.jpg'))
        $path = New-TextFile '[{"image_id": "0001", "category_id": 1, "bbox": [10, 10, 20, 20], "score": 0.9}]'
        $e = { Import-Detection $path | Measure-Detection -GroundTruth $gt -ErrorAction Stop } | Should -Throw -ErrorId 'ImageNotInGroundTruth,BoxFusion.Commands.MeasureDetectionCommand' -PassThru
        $e.TargetObject | Should -Be '0001'
        "$e" | Should -BeLike '*image "0001", which is not in the ground truth*'
        (New-Box '0005' | Measure-Detection -GroundTruth $gt).AP | Should -BeGreaterThan 0.999 # the file name without extension is that image
    }

    It 'matches the exact file_name first, then the name without folder or extension when one image has it' {
        $gt = New-GroundTruth @(@(1, 'train/7.jpg'), @(2, '7'), @(3, 'val/8.png'), @(4, 'x/9.jpg'))
        $r = '7', 'train/7.jpg', '8', '9.JPG' | ForEach-Object { New-Box $_ } | Measure-Detection -GroundTruth $gt -ErrorVariable errs
        $errs | Should -BeNullOrEmpty
        $r.AP | Should -Be 1
    }

    It 'an ambiguous name is AmbiguousImageId listing the candidates (<Name>)' -ForEach @(
        @{ Name = 'one file name in two folders'; Images = @(@(1, 'train/000001.jpg'), @(2, 'val/000001.jpg')); Id = '000001.jpg'; Listed = '1 (train/000001.jpg), id 2 (val/000001.jpg)' }
        @{ Name = 'the same name without extension'; Images = @(@(1, 'train/000001.jpg'), @(2, 'val/000001.png')); Id = '000001'; Listed = '1 (train/000001.jpg), id 2 (val/000001.png)' }
        @{ Name = 'names differing only in case'; Images = @(@(3, 'IMG.jpg'), @(4, 'img.png')); Id = 'img'; Listed = '3 (IMG.jpg), id 4 (img.png)' }
    ) {
        $gt = New-GroundTruth $Images
        $box = New-Box $Id
        $where = "Image id `"$Id`" matches 2 images of '$gt': id $Listed."

        $null = $box | Measure-Detection -GroundTruth $gt -ErrorVariable errs -ErrorAction SilentlyContinue
        Assert-SingleError $errs -Id 'AmbiguousImageId,BoxFusion.Commands.MeasureDetectionCommand' -Category 'InvalidData' -Target $Id
        "$($errs[0])" | Should -BeLike "$where*"

        $e = { $box | Merge-Detection -ImageInfo $gt -ErrorAction SilentlyContinue } | Should -Throw -ErrorId 'AmbiguousImageId,BoxFusion.Commands.MergeDetectionCommand' -PassThru
        "$e" | Should -BeLike "-ImageInfo: $where*"
        $e.TargetObject | Should -Be $Id

        $e = { $box, (New-Box $Id) | Optimize-Fusion -GroundTruth $gt -MaxTrials 1 -ErrorAction SilentlyContinue } | Should -Throw -ErrorId 'AmbiguousImageId,BoxFusion.Commands.OptimizeFusionCommand' -PassThru
        "$e" | Should -BeLike "$where*"

        $out = Join-Path $script:Folder 'ambiguous.json'
        $e = { $box | Export-Submission $out -ImageInfo $gt -ErrorAction SilentlyContinue } | Should -Throw -ErrorId 'AmbiguousImageId,BoxFusion.Commands.ExportSubmissionCommand' -PassThru
        "$e" | Should -BeLike "-ImageInfo: $where*Nothing was written."
        Test-Path $out | Should -BeFalse
        Assert-NoStackTrace $errs
    }

    It 'YOLO img.txt with IMG.jpg and img.png: AmbiguousImageId for that file, the others read' {
        $gt = New-GroundTruth @(@(3, 'IMG.jpg'), @(4, 'img.png'), @(5, 'other.jpg'))
        $dir = Join-Path $script:Folder 'yolo/labels'
        $null = New-Item -ItemType Directory -Force $dir
        Set-Content (Join-Path $dir 'img.txt') '0 0.5 0.5 0.2 0.2 0.9'
        Set-Content (Join-Path $dir 'other.txt') '0 0.5 0.5 0.2 0.2 0.8'
        $d = Import-Detection (Join-Path $dir '*.txt') -Format Yolo -ImageInfo $gt -ErrorVariable errs -ErrorAction SilentlyContinue
        $d.ImageId | Should -Be 5
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be 'AmbiguousImageId,BoxFusion.Commands.ImportDetectionCommand'
        $errs[0].TargetObject | Should -Be (Join-Path $dir 'img.txt')
        "$($errs[0])" | Should -BeLike "*img.txt': Image id `"img`" matches 2 images of '$gt': id 3 (IMG.jpg), id 4 (img.png)*"
    }
}

Describe 'Export-Submission -ImageInfo writes the ground truth''s ids' {
    BeforeAll {
        $caseB = Join-Path $DataRoot 'case-b'
        $gtPath = Join-Path $caseB 'gt.json'
        $idOf = @{}
        foreach ($i in (Get-Content $gtPath -Raw | ConvertFrom-Json).images) { $idOf[$i.file_name] = $i.id }
    }

    It 'maps the file-name ids of case-b ("7.jpg") to the integer ids of its gt.json' {
        $d = Import-Detection (Join-Path $caseB 'model1.json') | Where-Object { $_.Width -gt 0 -and $_.Height -gt 0 }
        $out = Join-Path $script:Folder 'case-b-submission.json'
        $d | Export-Submission $out -ImageInfo $gtPath
        $written = Get-Content $out -Raw | ConvertFrom-Json
        $written.Count | Should -Be $d.Count
        for ($i = 0; $i -lt $d.Count; $i++) {
            $written[$i].image_id | Should -BeOfType [long]
            $written[$i].image_id | Should -Be $idOf[$d[$i].ImageId]
            $written[$i].score | Should -Be $d[$i].Score
        }
        $d[0].ImageId | Should -BeOfType [string] # the caller's detections keep their ids
        # pycocotools-style scoring of the written file against gt.json equals scoring the original.
        (Import-Detection $out | Measure-Detection $gtPath).Stats | Should -Be ($d | Measure-Detection $gtPath).Stats
    }

    It 'an id it cannot map stops the export: ImageNotInImageInfo naming the id, and nothing is written' {
        $out = Join-Path $script:Folder 'unmapped.json'
        $e = { (New-Box '7.jpg'), (New-Box 'nope.jpg') | Export-Submission $out -ImageInfo $gtPath -ErrorAction SilentlyContinue } |
            Should -Throw -ErrorId 'ImageNotInImageInfo,BoxFusion.Commands.ExportSubmissionCommand' -PassThru
        $e.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $e.TargetObject | Should -Be 'nope.jpg'
        "$e" | Should -Be "Image `"nope.jpg`" is not in the -ImageInfo images of '$gtPath'; nothing was written (a challenge server rejects results for unknown images)."
        Test-Path $out | Should -BeFalse
        Get-ChildItem -Force $script:Folder -Filter '.unmapped.json*' | Should -BeNullOrEmpty
        { New-Box 999 | Export-Submission $out -ImageInfo $gtPath -ErrorAction SilentlyContinue } | Should -Throw -ErrorId 'ImageNotInImageInfo,BoxFusion.Commands.ExportSubmissionCommand'
    }
}
