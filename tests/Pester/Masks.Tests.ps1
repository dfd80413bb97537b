BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $manifest = Get-Content (Join-Path $DataRoot 'case-m/manifest.json') -Raw | ConvertFrom-Json
    $runs = @($manifest.runs | ForEach-Object { @{ Name = $_.name } })
    $scored = @(
        foreach ($m in $manifest.models) { @{ File = $m.file; Segm = [double[]]$m.segmStats; Bbox = [double[]]$m.bboxStats } }
        foreach ($r in $manifest.runs) { @{ File = $r.expected; Segm = [double[]]$r.segmStats; Bbox = [double[]]$r.bboxStats } }
    )
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ModuleUnderTest
    $caseM = Join-Path $DataRoot 'case-m'
    $gt = Join-Path $caseM 'gt.json'
    $models = 1..3 | ForEach-Object { Join-Path $caseM "model$_.json" }
    function New-SegmFile([string] $Folder, [string] $Name, [string[]] $Records) {
        $path = Join-Path $Folder $Name
        Set-Content -LiteralPath $path -Value ('[' + ($Records -join ",`n") + ']') -Encoding utf8NoBOM
        $path
    }
}

Describe 'Merge-Detection fuses masks as METHODS.md states' {
    BeforeAll {
        # Per image as sets: category, score 1e-6, box 1e-3 px and mask IoU at least 0.999.
        function Compare-MaskedSet($Expected, $Actual) {
            $problems = [System.Collections.Generic.List[string]]::new()
            $pool = [System.Collections.Generic.List[object]]::new()
            $pool.AddRange(@($Actual))
            foreach ($e in $Expected) {
                $match = -1
                for ($i = 0; $i -lt $pool.Count; $i++) {
                    $a = $pool[$i]
                    if ("$($a.ImageId)" -eq "$($e.ImageId)" -and $a.CategoryId -eq $e.CategoryId -and [math]::Abs($a.Score - $e.Score) -le 1e-6 -and
                        [math]::Abs($a.X - $e.X) -le 1e-3 -and [math]::Abs($a.Y - $e.Y) -le 1e-3 -and
                        [math]::Abs($a.Right - $e.Right) -le 1e-3 -and [math]::Abs($a.Bottom - $e.Bottom) -le 1e-3 -and
                        $a.HasMask -and [BoxFusion.Mask]::Iou($a.Mask, $e.Mask) -ge 0.999) { $match = $i; break }
                }
                if ($match -lt 0) { $problems.Add("no match for $e") } else { $pool.RemoveAt($match) }
            }
            foreach ($rest in $pool) { $problems.Add("unexpected $rest") }
            , $problems
        }
    }

    It 'case-m <Name>' -ForEach $runs {
        $run = Get-FixtureRun 'case-m' $Name
        $p = $run.Parameters
        $fused = Import-Detection $run.Models | Merge-Detection @p -ImageInfo $run.GroundTruth
        @($fused).Count | Should -Be $run.BoxesOut
        $expected = Import-Detection -LiteralPath $run.Expected -WarningAction SilentlyContinue
        $problems = Compare-MaskedSet $expected $fused
        $problems | Select-Object -First 5 | Should -BeNullOrEmpty
    }

    It 'gives the same masks with -Path and without -ImageInfo (the masks carry the image size)' {
        $a = Merge-Detection -Path $models
        $b = Import-Detection $models | Merge-Detection -ImageInfo $gt
        $a.Count | Should -Be $b.Count
        for ($i = 0; $i -lt $a.Count; $i += 11) { $a[$i].Mask.Equals($b[$i].Mask) | Should -BeTrue }
    }

    It 'warns once when only some detections have masks' {
        $mixed = Import-Detection $models | ForEach-Object -Begin { $n = 0 } -Process { if ($n++ % 4 -eq 0) { $c = $_.Clone(); $c.Mask = $null; $c } else { $_ } }
        $fused = $mixed | Merge-Detection -ImageInfo $gt -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -Match '^\d+ of \d+ detections have no mask'
        ($fused | Where-Object HasMask).Count | Should -BeGreaterThan 0
    }

    It 'clusters by mask IoU with -ClusterBy Mask, and says so when there are no masks' {
        $byMask = Merge-Detection -Path $models -ImageInfo $gt -ClusterBy Mask
        $byBox = Merge-Detection -Path $models -ImageInfo $gt
        @($byMask).Count | Should -BeGreaterOrEqual (@($byBox).Count - 5)
        ($byMask | Where-Object HasMask).Count | Should -Be @($byMask).Count
        $boxes = Import-Detection $models[0] | Select-Object -First 5 | ForEach-Object { $c = $_.Clone(); $c.Mask = $null; $c }
        $null = $boxes | Merge-Detection -ClusterBy Mask -WarningVariable w -WarningAction SilentlyContinue
        "$w" | Should -Match 'no detection has a mask'
    }

    It 'leaves out masks of the wrong size with one error, and warns that -MaskThreshold does nothing for NMS' {
        $d = Import-Detection $models[0] | Select-Object -First 3 | ForEach-Object { $_.Clone() }
        $d[1].Mask = [BoxFusion.Mask]::FromBox(0, 0, 5, 5, 10, 10)
        $d[2].Mask = [BoxFusion.Mask]::FromBox(0, 0, 5, 5, 10, 10)
        $out = $d | Merge-Detection -ImageInfo $gt -ErrorAction SilentlyContinue -ErrorVariable errors
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'MaskSizeMismatch,*'
        "$($errors[0])" | Should -Match '^2 detections have a mask whose size differs'
        @($out).Count | Should -Be 1
        $null = $d[0] | Merge-Detection -Method NMS -MaskThreshold 0.3 -WarningVariable w -WarningAction SilentlyContinue
        "$w" | Should -Match 'MaskThreshold'
    }
}

Describe 'Measure-Detection -IouType Segm equals pycocotools' {
    It 'coco-fake100 (compressed RLE results without boxes; polygon and crowd ground truth)' {
        $expected = 0.3195452758576433, 0.5622883972521636, 0.29892653412086784, 0.3873740315997838,
            0.31018272403369485, 0.3269339071005138, 0.2682297225711534, 0.41544868114906375,
            0.4168394992198818, 0.4694498622754236, 0.37675922666197265, 0.3814715099715099
        $r = Measure-Detection -IouType Segm -GroundTruth (Join-Path $DataRoot 'coco-fake100/instances_val2014_100.json') -Path (Join-Path $DataRoot 'coco-fake100/instances_val2014_fakesegm100_results.json')
        Assert-Stats $r.Stats $expected
        $r.IouType | Should -Be 'Segm'
    }

    It 'case-m <File> (segm and bbox)' -ForEach $scored {
        $detections = Import-Detection -LiteralPath (Join-Path $caseM $File) -WarningAction SilentlyContinue
        Assert-Stats ($detections | Measure-Detection -GroundTruth $gt -IouType Segm).Stats $Segm
        Assert-Stats ($detections | Measure-Detection -GroundTruth $gt).Stats $Bbox
    }
}

Describe 'Measure-Detection -IouType Segm on imperfect input' {
    BeforeAll { $folder = New-TestFolder }
    AfterAll { Remove-Item -LiteralPath $folder -Recurse -Force }

    It 'scores box-only detections with their box as the mask, and says so' {
        $boxes = Import-Detection $models[0] | ForEach-Object { $c = $_.Clone(); $c.Mask = $null; $c }
        $r = $boxes | Measure-Detection -GroundTruth $gt -IouType Segm -WarningVariable warnings -WarningAction SilentlyContinue
        $r.AP | Should -BeGreaterThan 0
        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -Match "^$($boxes.Count) of $($boxes.Count) detections have no mask"
    }

    It 'reports masks of the wrong size once, with the count' {
        $bad = New-SegmFile $folder 'wrong.json' @(
            '{"image_id": 1, "category_id": 2, "score": 0.9, "bbox": [0, 0, 4, 4], "segmentation": {"size": [10, 10], "counts": "T3"}}'
            '{"image_id": 1, "category_id": 2, "score": 0.8, "bbox": [0, 0, 4, 4], "segmentation": {"size": [10, 10], "counts": "T3"}}')
        { Measure-Detection -Path $bad -GroundTruth $gt -IouType Segm -ErrorAction Stop } | Should -Throw -ErrorId 'MaskSizeMismatch,BoxFusion.Commands.MeasureDetectionCommand' -ExpectedMessage '2 detections have a mask whose size differs*'
        $r = Measure-Detection -Path $bad -GroundTruth $gt -IouType Segm -ErrorAction SilentlyContinue -ErrorVariable errors
        $errors.Count | Should -Be 1
        $r.AP | Should -Be 0
    }

    It 'names a ground-truth annotation whose mask is broken' {
        $broken = Join-Path $folder 'gt-broken.json'
        (Get-Content $gt -Raw) -replace '"segmentation": \[\[475.34, 255.82, ', '"segmentation": [[475.34, ' | Set-Content -LiteralPath $broken -Encoding utf8NoBOM
        { Measure-Detection -Path $models[0] -GroundTruth $broken -IouType Segm -ErrorAction Stop } |
            Should -Throw -ErrorId 'GroundTruthMaskPolygonOddCoordinates,BoxFusion.Commands.MeasureDetectionCommand' -ExpectedMessage '*annotations`[0`] (id 1, image 1)*odd*'
        # Boxes do not need the masks: bbox evaluation still works.
        (Measure-Detection -Path $models[0] -GroundTruth $broken).AP | Should -BeGreaterThan 0
    }
}

Describe 'Optimize-Fusion -IouType Segm' {
    It 'ranks by mask AP, tries mask thresholds, and its best parameters reproduce the score' {
        $detections = Import-Detection $models
        $trials = $detections | Optimize-Fusion -GroundTruth $gt -ImageInfo $gt -IouType Segm -Method WBF, NMS -NoWeightSearch -MaxTrials 40
        $best = $trials[0]
        ($trials.MaskThreshold | Sort-Object -Unique).Count | Should -BeGreaterThan 1
        $manifest = Get-Content (Join-Path $caseM 'manifest.json') -Raw | ConvertFrom-Json
        foreach ($run in $manifest.runs | Where-Object { -not $_.weights -and $_.method -in 'wbf', 'nms' }) {
            $best.AP | Should -BeGreaterOrEqual $run.segmStats[0] -Because "the fixed run $($run.name) scores $($run.segmStats[0])"
        }
        $p = $best.Parameters
        $again = $detections | Merge-Detection @p -ImageInfo $gt | Measure-Detection -GroundTruth $gt -IouType Segm
        $again.Stats | Should -Be $best.Stats
        # The same search ranked by boxes gives other statistics.
        $boxes = $detections | Optimize-Fusion -GroundTruth $gt -ImageInfo $gt -Method WBF -NoWeightSearch -MaxTrials 5
        $boxes[0].Stats | Should -Not -Be $best.Stats
    }
}

Describe 'Export-Submission writes masks' {
    BeforeAll { $folder = New-TestFolder }
    AfterAll { Remove-Item -LiteralPath $folder -Recurse -Force }

    It 'keeps every mask bit-identical through import, export and import (<Name>)' -ForEach @(
        @{ Name = 'model1.json' }, @{ Name = 'model2.json' }, @{ Name = 'model3.json' }, @{ Name = 'expected/wbf.json' }
    ) {
        $source = Join-Path $caseM $Name
        $first = Import-Detection -LiteralPath $source -WarningAction SilentlyContinue
        $out = Join-Path $folder ('out-' + ($Name -replace '/', '-'))
        $first | Export-Submission -LiteralPath $out
        $second = Import-Detection -LiteralPath $out -WarningAction SilentlyContinue
        $second.Count | Should -Be $first.Count
        $original = (Get-Content -LiteralPath $source -Raw | ConvertFrom-Json).segmentation.counts
        $written = (Get-Content -LiteralPath $out -Raw | ConvertFrom-Json).segmentation.counts
        $written | Should -Be $original
        for ($i = 0; $i -lt $first.Count; $i++) {
            $second[$i].Mask.ToCompressedString() | Should -BeExactly $first[$i].Mask.ToCompressedString()
        }
    }

    It 'writes fused masks with their boxes, and scores the same when read back' {
        $fused = Merge-Detection -Path $models -ImageInfo $gt
        $out = Join-Path $folder 'fused.json'
        $fused | Export-Submission -LiteralPath $out
        $record = (Get-Content -LiteralPath $out -Raw | ConvertFrom-Json)[0]
        $record.bbox.Count | Should -Be 4
        $record.segmentation.size | Should -Be 375, 500
        (Measure-Detection -Path $out -GroundTruth $gt -IouType Segm).Stats | Should -Be ($fused | Measure-Detection -GroundTruth $gt -IouType Segm).Stats
    }

    It 'keeps the masks when -ImageInfo turns file names into image ids' {
        $source = Join-Path $caseM 'model1.json'
        $first = @(Import-Detection -LiteralPath $source -WarningAction SilentlyContinue | Select-Object -First 5)
        $named = foreach ($d in $first) { $c = $d.Clone(); $c.ImageId = '{0:000000}.jpg' -f $d.ImageId; $c }
        $out = Join-Path $folder 'named.json'
        $named | Export-Submission -LiteralPath $out -ImageInfo $gt
        $records = Get-Content -LiteralPath $out -Raw | ConvertFrom-Json
        $records.image_id | Should -Be $first.ImageId
        $records.segmentation.counts | Should -Be ($first | ForEach-Object { $_.Mask.ToCompressedString() })
    }
}

Describe 'Reading masks' {
    BeforeAll { $folder = New-TestFolder }
    AfterAll { Remove-Item -LiteralPath $folder -Recurse -Force }

    It 'reads compressed RLE into Detection.Mask and shows HasMask and MaskArea' {
        $d = Import-Detection $models[0] | Select-Object -First 1
        $d.Mask | Should -BeOfType BoxFusion.Mask
        $d.HasMask | Should -BeTrue
        $d.MaskArea | Should -BeGreaterThan 0
        $d.Mask.Height | Should -Be 375
        (Import-Detection $models[0] | Format-Table | Out-String) | Should -Match 'MaskArea'
    }

    It 'keeps masks through Export-Clixml and Import-Clixml' {
        $file = Join-Path $folder 'masks.clixml'
        $d = Import-Detection $models[0]
        $d | Export-Clixml $file
        $back = Import-Clixml $file | Merge-Detection -Method NMS
        $direct = $d | Merge-Detection -Method NMS
        $back.Count | Should -Be $direct.Count
        for ($i = 0; $i -lt $back.Count; $i++) { $back[$i].Mask.Equals($direct[$i].Mask) | Should -BeTrue }
    }

    It 'skips each kind of bad mask with its own error id, naming the record' -ForEach @(
        @{ Segmentation = '{"size": [3, 3], "counts": [4, 1]}'; Id = 'SkippedRecordsMaskCountsMismatch' }
        @{ Segmentation = '{"size": [3, 3], "counts": "4 14"}'; Id = 'SkippedRecordsMaskStringInvalid' }
        @{ Segmentation = '[[1, 2, 3, 4, 5, 6, 7]]'; Id = 'SkippedRecordsPolygonOddCoordinates' }
        @{ Segmentation = '[[1, 2, 3, 4]]'; Id = 'SkippedRecordsPolygonTooFewPoints' }
        @{ Segmentation = '{"size": [3], "counts": "414"}'; Id = 'SkippedRecordsBadMask' }
    ) {
        $file = New-SegmFile $folder "bad-$Id.json" @(
            '{"image_id": 1, "category_id": 2, "score": 0.9, "segmentation": {"size": [3, 3], "counts": "414"}}'
            "{`"image_id`": 1, `"category_id`": 2, `"score`": 0.9, `"segmentation`": $Segmentation}")
        $read = Import-Detection $file -ErrorAction SilentlyContinue -ErrorVariable errors
        @($read).Count | Should -Be 1
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike "$Id,*"
        "$($errors[0])" | Should -Match 'record 1'
    }
}
